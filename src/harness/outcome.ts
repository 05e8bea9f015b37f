import type { Histogram } from 'hdr-histogram-js';
import type { AggregateMismatch } from '../events/index.ts';
import { newLatencyHistogram } from '../metrics/histogram.ts';
import { TierLatency } from '../metrics/latency.ts';
import type { TierCounts, TierFacts, TierName, TierUsage } from '../tiers/types.ts';

export interface DeadLetterCheck {
  produced: number;
  accepted: number;
  rejected: number;
  /** Records in the tier's dead-letter topic, read back from Kafka. */
  inDeadLetterTopic: number;
  reconciles: boolean;
}

export interface BacklogSample {
  atMicros: number;
  /** Records sent but not yet visible in this tier (or sent to its dead-letter topic). */
  backlog: number;
}

/** What one tier measured in one pass, or over several passes combined; histograms kept whole. */
export interface TierOutcome {
  name: TierName;
  state: 'ok' | 'errored';
  error?: string;
  correct: boolean;
  /** Events of the ground truth missing from the committed result (Jepsen's "unseen"), from the windows' counts. */
  unseen: number;
  /** Events counted more than once in the committed result. */
  appliedTwice: number;
  mismatchCount: number;
  /** The first few differing windows, for the report. */
  mismatches: AggregateMismatch[];
  latency: TierLatency;
  /** Age of the newest visible result, sampled every second while events flowed. */
  freshness: Histogram;
  /** The generator's lag while this tier was fed: its own in isolated execution. */
  generatorLag: Histogram;
  counts: TierCounts;
  usage: TierUsage;
  facts: TierFacts;
  deadLetters: DeadLetterCheck;
  visible: number;
  /** µs from the first event's scheduled time to the last visible result, summed over passes. */
  spanMicros: number;
  backlog: BacklogSample[];
}

/** Events made visible per second over the span they took: never the offered rate echoed back. */
export function achievedPerSec(outcome: Pick<TierOutcome, 'visible' | 'spanMicros'>): number {
  return outcome.spanMicros > 0 ? (outcome.visible * 1_000_000) / outcome.spanMicros : 0;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/**
 * One tier over several passes (repeats): histograms merged, counts and resources added, and
 * correct only if every pass was. Per-event ratios (CPU, bytes, requests) stay what each pass measured.
 */
export function combineOutcomes(outcomes: TierOutcome[]): TierOutcome {
  const [first] = outcomes;
  if (!first) throw new Error('no outcomes to combine');
  if (outcomes.length === 1) return first;
  const latency = new TierLatency(0);
  const freshness = newLatencyHistogram();
  const generatorLag = newLatencyHistogram();
  for (const outcome of outcomes) {
    latency.merge(outcome.latency.encode());
    freshness.add(outcome.freshness);
    generatorLag.add(outcome.generatorLag);
  }
  const errored = outcomes.find((o) => o.state === 'errored');
  const readPath = outcomes.find((o) => o.facts.readPath)?.facts.readPath;
  // Every pass of a tier runs on the engine the run chose for it; one that failed early may not have said.
  const engine = outcomes.find((o) => o.facts.engine)?.facts.engine;
  const jobRuns = outcomes.filter((o) => o.facts.jobRuns !== undefined);
  const rejectedByReason: Record<string, number> = {};
  for (const o of outcomes) for (const [reason, n] of Object.entries(o.counts.rejectedByReason)) rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n;
  return {
    name: first.name,
    state: errored ? 'errored' : 'ok',
    ...(errored?.error ? { error: errored.error } : {}),
    correct: outcomes.every((o) => o.correct),
    unseen: sum(outcomes.map((o) => o.unseen)),
    appliedTwice: sum(outcomes.map((o) => o.appliedTwice)),
    mismatchCount: sum(outcomes.map((o) => o.mismatchCount)),
    mismatches: outcomes.flatMap((o) => o.mismatches).slice(0, 10),
    latency,
    freshness,
    generatorLag,
    counts: { accepted: sum(outcomes.map((o) => o.counts.accepted)), rejected: sum(outcomes.map((o) => o.counts.rejected)), rejectedByReason },
    usage: {
      kafkaBytesWritten: sum(outcomes.map((o) => o.usage.kafkaBytesWritten)),
      s3Requests: {
        put: sum(outcomes.map((o) => o.usage.s3Requests.put)),
        get: sum(outcomes.map((o) => o.usage.s3Requests.get)),
        list: sum(outcomes.map((o) => o.usage.s3Requests.list)),
      },
      s3BytesWritten: sum(outcomes.map((o) => o.usage.s3BytesWritten)),
    },
    facts: {
      ...(engine ? { engine } : {}),
      ...(readPath ? { readPath } : {}),
      ...(first.facts.guarantee ? { guarantee: first.facts.guarantee } : {}),
      ...(jobRuns.length > 0
        ? { jobRuns: sum(jobRuns.map((o) => o.facts.jobRuns ?? 0)), jobSeconds: sum(jobRuns.map((o) => o.facts.jobSeconds ?? 0)) }
        : {}),
    },
    deadLetters: {
      produced: sum(outcomes.map((o) => o.deadLetters.produced)),
      accepted: sum(outcomes.map((o) => o.deadLetters.accepted)),
      rejected: sum(outcomes.map((o) => o.deadLetters.rejected)),
      inDeadLetterTopic: sum(outcomes.map((o) => o.deadLetters.inDeadLetterTopic)),
      reconciles: outcomes.every((o) => o.deadLetters.reconciles),
    },
    visible: sum(outcomes.map((o) => o.visible)),
    spanMicros: sum(outcomes.map((o) => o.spanMicros)),
    backlog: [],
  };
}
