/** Any thrown error → the contract's ServiceError (the kind decides how the UI shows it). */
import type { ServiceError } from '../../common/contract/errors.js';

export class ServiceFailure extends Error {
  constructor(readonly error: ServiceError) {
    super(error.message);
    this.name = 'ServiceFailure';
  }
}

export function fail(kind: ServiceError['kind'], message: string, extra: Partial<ServiceError> = {}): never {
  throw new ServiceFailure({ kind, message, ...extra });
}

export function toServiceError(e: unknown): ServiceError {
  if (e instanceof ServiceFailure) return e.error;
  if (e instanceof Error) {
    const withWhere = e as Error & { file?: unknown; tensor?: unknown; nodeId?: unknown };
    const where: Partial<ServiceError> = {};
    if (typeof withWhere.file === 'string') where.file = withWhere.file;
    if (typeof withWhere.tensor === 'string') where.tensor = withWhere.tensor;
    // The node an error belongs on, when the service knows it (a chain's stage).
    if (typeof withWhere.nodeId === 'string') where.nodeId = withWhere.nodeId;
    // Matched by name: the engine's error classes are not part of the contract.
    switch (e.name) {
      case 'InputError':
      case 'JsonSyntaxError':
      case 'KernelError':
        return { kind: 'input', message: e.message, ...where };
      case 'RecipeError':
      case 'ValidationError':
      case 'MemoryBudgetError':
        return { kind: 'validation', message: e.message, ...where };
      case 'CancelledError':
      case 'AbortError':
        return { kind: 'cancelled', message: 'Cancelled.' };
      default:
        return { kind: 'internal', message: e.message || String(e), ...where };
    }
  }
  return { kind: 'internal', message: String(e) };
}
