import type { Environment } from '../services/external.ts';

/** What a command reads and writes beyond its arguments: the environment, and its two output streams (tests pass their own). */
export interface CliIo {
  env: Environment;
  out: (line: string) => void;
  err: (line: string) => void;
}
