import type { Command } from 'commander';
import { TierlabError } from '../errors.ts';
import { noSuchEngine } from '../tiers/engine.ts';
import { tierEngines } from '../tiers/registry.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/** Which engine runs each tier named by --engine; a tier not named keeps the scenario's. */
export type EngineChoice = Partial<Record<TierName, string>>;

const form = 'TIER=NAME[,TIER=NAME]';

/**
 * `--engine microbatch=lake[,streaming=node]`, each use of the flag adding pairs: a malformed
 * pair, a tier that does not exist, an engine its tier does not have, or a tier named twice is
 * refused, naming it and what exists.
 */
export function parseEngines(values: readonly string[]): EngineChoice {
  const choice: EngineChoice = {};
  for (const { tier: name, engine } of parseEnginePairs(values)) {
    if (choice[name] !== undefined && choice[name] !== engine) {
      throw new TierlabError('BAD_INPUT', `--engine names ${name} twice (${choice[name]} and ${engine})`, { details: { flag: '--engine', tier: name } });
    }
    choice[name] = engine;
  }
  return choice;
}

/** The TIER=NAME pairs of one or more `--engine` values, each checked; a tier may come back (floor measures several engines of one tier). */
export function parseEnginePairs(values: readonly string[]): Array<{ tier: TierName; engine: string }> {
  const pairs: Array<{ tier: TierName; engine: string }> = [];
  for (const pair of values.flatMap((value) => value.split(','))) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(pair);
    if (!match) {
      throw new TierlabError('BAD_INPUT', `--engine must be ${form}, e.g. microbatch=lake (got "${pair}")`, { details: { flag: '--engine', value: pair } });
    }
    const [, tier, engine] = match as unknown as [string, string, string];
    if (!(tierNames as readonly string[]).includes(tier)) {
      throw new TierlabError('BAD_INPUT', `--engine names no tier "${tier}"; the tiers: ${tierNames.join(', ')}`, { details: { flag: '--engine', tier } });
    }
    const name = tier as TierName;
    if (!tierEngines[name].includes(engine)) throw noSuchEngine(name, engine, tierEngines[name]);
    pairs.push({ tier: name, engine });
  }
  return pairs;
}

/** `--engine TIER=NAME`, repeatable, as run, tier, demo and capacity take it. */
export function engineOption(command: Command): Command {
  return command.option(
    '--engine <tier=name>',
    `which engine runs a tier, TIER=NAME[,TIER=NAME], repeatable: ${tierNames.map((tier) => `${tier} ${tierEngines[tier].join('|')}`).join('; ')} ` +
      "(default: the scenario's, else node)",
    (spec: string, all: string[]) => [...all, spec],
    [] as string[],
  );
}
