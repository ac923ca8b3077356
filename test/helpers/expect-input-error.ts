/**
 * Asserts that a call fails with an InputError whose message names the file (and the tensor).
 *
 *   await expectInputError(() => openCheckpoint(dir), { file: dir, tensor: 'a', match: /overlap/ });
 *
 * Returns the error for further checks.
 */
import { expect } from 'vitest';
import { InputError } from '../../electron/engine/io/types.js';

export interface ExpectedInputError {
  /** A path the message must contain. */
  file: string;
  /** A tensor name the message must contain, in quotes as JSON.stringify writes it. */
  tensor?: string;
  match?: RegExp;
}

export async function expectInputError(fn: () => unknown, expected: ExpectedInputError): Promise<InputError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an InputError, but the call succeeded').toBeDefined();
  expect(caught).toBeInstanceOf(InputError);
  const err = caught as InputError;
  expect(err.message).toContain(expected.file);
  if (expected.tensor !== undefined) {
    expect(err.message).toContain(JSON.stringify(expected.tensor));
    expect(err.tensor).toBe(expected.tensor);
  }
  if (expected.match) expect(err.message).toMatch(expected.match);
  return err;
}
