/** The error shape every failed request and failed job carries across the boundary. */
import { z } from 'zod';

export const ErrorKindSchema = z.enum(['input', 'validation', 'cancelled', 'bad-request', 'not-implemented', 'internal']);
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

export const ServiceErrorSchema = z.strictObject({
  kind: ErrorKindSchema,
  message: z.string(),
  /** The file and tensor a bad input concerns, when known. */
  file: z.string().optional(),
  tensor: z.string().optional(),
  /** The graph node the error belongs on, when known. */
  nodeId: z.string().optional(),
});
export type ServiceError = z.infer<typeof ServiceErrorSchema>;
