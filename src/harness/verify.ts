import type { Admin } from 'kafkajs';
import { describeError } from '../errors.ts';
import { compareAggregates, type AggregateMismatch, type WindowAggregate } from '../events/index.ts';
import { highWatermarks } from '../kafka/topics.ts';
import type { Logger } from '../log.ts';
import { decodeHistogram, newLatencyHistogram } from '../metrics/histogram.ts';
import { TierLatency } from '../metrics/latency.ts';
import type { Histogram } from 'hdr-histogram-js';
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
  try {
    comparison = compareAggregates(input.expected, await readCommittedResultOf(spec, input.logger));
  } catch (readError) {
    error ??= `reading the committed result failed: ${describeError(readError)}`;
  }
  const dlqEnds = await highWatermarks(input.admin, spec.topics.deadLetter);
  const inDeadLetterTopic = Number([...dlqEnds.values()].reduce((sum, end) => sum + end, 0n));
  const { accepted, rejected } = health.counts;
  const latency = new TierLatency(0);
  if (result) latency.merge(result.latency);
  return {
    name: runner.name,
    state: error ? 'errored' : 'ok',
    ...(error ? { error } : {}),
    correct: comparison.equal,
    mismatchCount: comparison.mismatches.length,
    mismatches: comparison.mismatches.slice(0, 10),
    latency,
    freshness: result ? decodeHistogram(result.freshness) : newLatencyHistogram(),
    generatorLag: input.generatorLag,
    counts: health.counts,
    usage: health.usage,
    facts: result?.facts ?? {},
    deadLetters: {
      produced: input.produced,
      accepted,
      rejected,
      inDeadLetterTopic,
      reconciles: accepted + rejected === input.produced && inDeadLetterTopic === rejected,
    },
    visible: health.visible,
    spanMicros:
      latency.firstEventMicros !== undefined && latency.lastVisibleMicros !== undefined ? latency.lastVisibleMicros - latency.firstEventMicros : 0,
    backlog: input.backlog,
  };
}
