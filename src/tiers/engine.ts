import { TierlabError } from '../errors.ts';

/**
 * Which implementation ran a tier, as summary.json records it (tiers.NAME.engine). A tier reports
 * its own (TierFacts.engine): the harness never asks which engine it holds.
 */
export interface TierEngine {
  /** node, lake, kafka-streams (later flink, spark). */
  name: string;
  /** The version of what does the work: Node's for node, the embedded DuckDB's for lake, the engine's and the JVM's for a JVM engine. */
  version: string;
  /** A JVM engine: ms from its process's start to consuming (JVM start, group join), kept out of what is measured. */
  startupMs?: number;
  /** A JVM engine whose job ran on an existing cluster (FLINK_REST_URL): its address. Its CPU and memory there are not measured. */
  cluster?: string;
}

/** The engine of a tier written in Node itself. */
export const nodeEngine = (): TierEngine => ({ name: 'node', version: process.version });

/** The one wording for an engine a tier does not have, from a scenario file or from --engine. */
export function noSuchEngine(tier: string, engine: string, engines: readonly string[]): TierlabError {
  return new TierlabError('BAD_INPUT', `${tier} has no engine "${engine}"; its engines: ${engines.join(', ')}`, {
    details: { tier, engine, engines: [...engines] },
  });
}
