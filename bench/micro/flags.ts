// `npm run bench` flags: [--rounds N] [--update-baseline]. A bad one is a BAD_INPUT naming it.
import { parseArgs } from 'node:util';
import { TierlabError } from '../../src/errors.ts';
import { parseWholeNumber } from '../../src/parse.ts';
import { defaultRounds } from './rounds.ts';

export interface BenchFlags {
  /** At least 2: a single round has no spread, so a regression could not be told from noise. */
  rounds: number;
  updateBaseline: boolean;
}

export function parseBenchFlags(args: readonly string[]): BenchFlags {
  let values: { rounds: string; 'update-baseline': boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { rounds: { type: 'string', default: String(defaultRounds) }, 'update-baseline': { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    // Node's message names the flag ("Unknown option '--round'"); the code makes it one tierlab reports.
    throw new TierlabError('BAD_INPUT', `npm run bench: ${(cause as Error).message}`, { cause, details: { args } });
  }
  return { rounds: parseWholeNumber(values.rounds, '--rounds', 2), updateBaseline: values['update-baseline'] };
}
