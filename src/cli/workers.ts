import type { Command } from 'commander';
import { TierlabError } from '../errors.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/** How many worker processes run each tier named by --workers; a tier not named keeps the scenario's. */
export type WorkersChoice = Partial<Record<TierName, number>>;

/** `--workers streaming=2[,microbatch=1]`, repeatable: a malformed pair, an unknown tier or a count below 1 is refused, naming it. */
export function parseWorkers(values: readonly string[]): WorkersChoice {
  const choice: WorkersChoice = {};
  for (const pair of values.flatMap((value) => value.split(','))) {
    const match = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!match) throw new TierlabError('BAD_INPUT', `--workers must be TIER=N[,TIER=N], e.g. streaming=2 (got "${pair}")`, { details: { flag: '--workers', value: pair } });
    const [, tier, count] = match as unknown as [string, string, string];
    if (!(tierNames as readonly string[]).includes(tier)) {
      throw new TierlabError('BAD_INPUT', `--workers names no tier "${tier}"; the tiers: ${tierNames.join(', ')}`, { details: { flag: '--workers', tier } });
    }
    const workers = Number(count);
    if (!/^\d+$/.test(count) || workers < 1) {
      throw new TierlabError('BAD_INPUT', `--workers ${tier}=${count}: the count must be a whole number >= 1`, { details: { flag: '--workers', tier, value: count } });
    }
    choice[tier as TierName] = workers;
  }
  return choice;
}

/** `--workers TIER=N`, repeatable, as run and tier take it. */
export function workersOption(command: Command): Command {
  return command.option(
    '--workers <tier=n>',
    "worker processes of a tier in one consumer group, TIER=N[,TIER=N], repeatable (default: the scenario's, else 1; more than one: streaming on node)",
    (spec: string, all: string[]) => [...all, spec],
    [] as string[],
  );
}
