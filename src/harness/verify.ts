import type { Admin } from 'kafkajs';
import { describeError } from '../errors.ts';
import { aggregateKey, compareAggregates, type AggregateMismatch, type WindowAggregate } from '../events/index.ts';
import { countSources, deadLetterSources } from './faults/baseline.ts';
import type { Logger } from '../log.ts';
import { decodeHistogram, newLatencyHistogram } from '../metrics/histogram.ts';
import { TierLatency } from '../metrics/latency.ts';
import type { Histogram } from 'hdr-histogram-js';
import type { TierHealth } from '../tiers/types.ts';
import type { BacklogSample, TierOutcome } from './outcome.ts';
import { readCommittedResultOf, type TierRunner, type TierRunnerResult, type TierSpec } from './tier-runner.ts';

export interface VerifyInput {
  runner: TierRunner;
  spec: TierSpec;
  /** The tier's result when it stopped cleanly. */
  result: TierRunnerResult | undefined;
  startError: string | undefined;
  expected: WindowAggregate[];
  produced: number;
  generatorLag: Histogram;
  backlog: BacklogSample[];
  admin: Admin;
  logger: Logger;
}

/**
 * Checks one tier after its pass: its committed result, read back from its store by a fresh
 * reader, against the ground truth, and its dead letters against the dead-letter topic.
 */
export async function verifyTier(input: VerifyInput): Promise<TierOutcome> {
  const { runner, spec, result } = input;
  const health = result?.health ?? runner.health();
  let error = input.startError ?? health.error;
  let comparison = { equal: false, mismatches: [] as AggregateMismatch[] };
  let actual: WindowAggregate[] = [];
  try {
    actual = await readCommittedResultOf(spec, input.logger);
    comparison = compareAggregates(input.expected, actual);
  } catch (readError) {
    error ??= `reading the committed result failed: ${describeError(readError)}`;
  }
  // Distinct source records: a worker restarted after a kill dead-letters again what it re-reads.
  const sources = await deadLetterSources(spec.kafka, spec.topics.deadLetter);
  const inDeadLetterTopic = countSources(sources);
  const { accepted, rejected, reportedInTopic } = health.partitionsThrough ? scaledCounts(health, sources) : { ...health.counts, reportedInTopic: true };
  const latency = new TierLatency(0);
  if (result) latency.merge(result.latency);
  return {
    name: runner.name,
    state: error ? 'errored' : 'ok',
    ...(error ? { error } : {}),
    correct: comparison.equal,
    ...lostAndTwice(input.expected, actual),
    mismatchCount: comparison.mismatches.length,
    mismatches: comparison.mismatches.slice(0, 10),
    latency,
    freshness: result ? decodeHistogram(result.freshness) : newLatencyHistogram(),
    generatorLag: input.generatorLag,
    counts: { ...health.counts, accepted, rejected },
    usage: health.usage,
    facts: result?.facts ?? {},
    deadLetters: {
      produced: input.produced,
      accepted,
      rejected,
      inDeadLetterTopic,
      reconciles: accepted + rejected === input.produced && inDeadLetterTopic === rejected && reportedInTopic,
    },
    visible: health.visible,
    spanMicros:
      latency.firstEventMicros !== undefined && latency.lastVisibleMicros !== undefined ? latency.lastVisibleMicros - latency.firstEventMicros : 0,
    backlog: input.backlog,
  };
}

/**
 * The counts of a tier of several worker processes (scaled-runner.ts). What it took is exact, from
 * the partitions; which records it rejected is the dead-letter topic's: a killed worker cannot
 * report what it dead-lettered after its last report, and the records it had also committed are
 * never read again by another. The check left is that every record a worker reported rejecting is
 * in the topic.
 */
function scaledCounts(health: TierHealth, sources: Map<number, Set<string>>): { accepted: number; rejected: number; reportedInTopic: boolean } {
  const taken = Object.values(health.partitionsThrough ?? {}).reduce((sum, next) => sum + next, 0);
  const rejected = countSources(sources);
  const reportedInTopic = Object.entries(health.rejectedSources ?? {}).every(([partition, offsets]) => {
    const inTopic = sources.get(Number(partition));
    return offsets.every((offset) => inTopic?.has(String(offset)) === true);
  });
  return { accepted: taken - rejected, rejected, reportedInTopic };
}

/**
 * Jepsen's "unseen" and its opposite, from the windows' counts: events of the ground truth missing
 * from the committed result, and events counted more than once. Both are zero for a correct tier.
 */
export function lostAndTwice(expected: WindowAggregate[], actual: WindowAggregate[]): { unseen: number; appliedTwice: number } {
  const got = new Map(actual.map((a) => [aggregateKey(a), a.count]));
  let unseen = 0;
  let appliedTwice = 0;
  for (const want of expected) {
    const count = got.get(aggregateKey(want)) ?? 0;
    got.delete(aggregateKey(want));
    if (count < want.count) unseen += want.count - count;
    else appliedTwice += count - want.count;
  }
  for (const extra of got.values()) appliedTwice += extra;
  return { unseen, appliedTwice };
}
