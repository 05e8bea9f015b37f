import { expect } from 'vitest';
import { isTierlabError } from '../../src/errors.ts';

/** The error `run` throws; the test fails when it throws none. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** The message of the BAD_INPUT error `run` throws: bad input refused, and said why. */
export function refusal(run: () => unknown): string {
  const error = thrown(run);
  expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
  return (error as Error).message;
}
