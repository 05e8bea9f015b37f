import { TierlabError } from '../errors.ts';

/**
 * Which implementation ran a tier, as summary.json records it (tiers.NAME.engine). A tier reports
 * its own (TierFacts.engine): the harness never asks which engine it holds.
 */
export interface TierEngine {
  /** node, lake (later kafka-streams, flink, spark). */
  name: string;
  /** The version of what does the work: Node's for node, the embedded DuckDB's for lake. */
  version: string;
}

/** The engine of a tier written in Node itself. */
export const nodeEngine = (): TierEngine => ({ name: 'node', version: process.version });

/** The one wording for an engine a tier does not have, from a scenario file or from --engine. */
export function noSuchEngine(tier: string, engine: string, engines: readonly string[]): TierlabError {
  return new TierlabError('BAD_INPUT', `${tier} has no engine "${engine}"; its engines: ${engines.join(', ')}`, {
    details: { tier, engine, engines: [...engines] },
  });
}
