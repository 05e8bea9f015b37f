import { describe, expect, it } from 'vitest';
import { achievedPerSec, combineOutcomes, type TierOutcome } from '../../../src/harness/outcome.ts';
import { latencyStats, newLatencyHistogram, recordMicros } from '../../../src/metrics/histogram.ts';
import { TierLatency } from '../../../src/metrics/latency.ts';
import { tierSummary } from '../../../src/harness/build-summary.ts';
import type { VisibilityBatch } from '../../../src/tiers/types.ts';

/** A latency whose events each took `micros` (event time 0, visible at `micros`), seqs from `firstSeq`. */
function latencyOf(microsList: number[], firstSeq: number): TierLatency {
  const latency = new TierLatency(0);
  microsList.forEach((micros, i) => {
    const batch: VisibilityBatch = {
      tier: 'streaming',
      processingStartMicros: micros,
      writeStartMicros: micros,
      visibleMicros: micros,
      events: [{ seq: firstSeq + i, eventTimeMicros: 0, sentMicros: 0, readMicros: 0 }],
    };
    latency.record(batch);
  });
  return latency;
}

function histogramOf(microsList: number[]) {
  const histogram = newLatencyHistogram();
  for (const micros of microsList) recordMicros(histogram, micros);
  return histogram;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function outcome(overrides: Partial<TierOutcome> & { latencyMicros: number[]; firstSeq: number }): TierOutcome {
  const { latencyMicros, firstSeq, ...rest } = overrides;
  return {
    name: 'streaming',
    state: 'ok',
    correct: true,
    unseen: 0,
    appliedTwice: 0,
    mismatchCount: 0,
    mismatches: [],
    latency: latencyOf(latencyMicros, firstSeq),
    freshness: histogramOf([1_000]),
    generatorLag: histogramOf([10, 20]),
    counts: { accepted: 100, rejected: 2, rejectedByReason: { 'bad-amount': 2 } },
    usage: { kafkaBytesWritten: 1_000, s3Requests: { put: 1, get: 2, list: 3 }, s3BytesWritten: 500 },
    facts: {},
    deadLetters: { produced: 102, accepted: 100, rejected: 2, inDeadLetterTopic: 2, reconciles: true },
    visible: 100,
    spanMicros: 2_000_000,
    backlog: [{ atMicros: 1, backlog: 3 }],
    ...rest,
  };
}

describe('achievedPerSec', () => {
  it('is visible events over their span, and 0 for no span', () => {
    expect(achievedPerSec({ visible: 500, spanMicros: 2_000_000 })).toBe(250);
    expect(achievedPerSec({ visible: 3, spanMicros: 1_500 })).toBe(2_000);
    expect(achievedPerSec({ visible: 500, spanMicros: 0 })).toBe(0);
  });
});

describe('combineOutcomes', () => {
  it('refuses nothing to combine, and returns a single outcome as it is', () => {
    expect(() => combineOutcomes([])).toThrow('no outcomes to combine');
    const only = outcome({ latencyMicros: [5], firstSeq: 1 });
    expect(combineOutcomes([only])).toBe(only);
  });

  it('adds up two passes of one tier and merges their histograms', () => {
    const a = outcome({ latencyMicros: range(1, 500), firstSeq: 1, facts: { readPath: 'staged', jobRuns: 2, jobSeconds: 3 } });
    const b = outcome({
      latencyMicros: range(501, 1000),
      firstSeq: 1, // seqs restart in every pass: each pass is its own stream
      freshness: histogramOf([3_000, 5_000]),
      generatorLag: histogramOf([30]),
      counts: { accepted: 50, rejected: 1, rejectedByReason: { 'bad-amount': 1, 'missing-key': 4 } },
      usage: { kafkaBytesWritten: 10, s3Requests: { put: 10, get: 20, list: 30 }, s3BytesWritten: 5 },
      facts: { jobRuns: 1, jobSeconds: 0.5 },
      deadLetters: { produced: 51, accepted: 50, rejected: 1, inDeadLetterTopic: 1, reconciles: true },
      visible: 50,
      spanMicros: 500_000,
    });
    const combined = combineOutcomes([a, b]);
    expect(combined.name).toBe('streaming');
    expect(combined.state).toBe('ok');
    expect(combined).not.toHaveProperty('error');
    expect(combined.counts).toEqual({ accepted: 150, rejected: 3, rejectedByReason: { 'bad-amount': 3, 'missing-key': 4 } });
    expect(combined.usage).toEqual({ kafkaBytesWritten: 1_010, s3Requests: { put: 11, get: 22, list: 33 }, s3BytesWritten: 505 });
    expect(combined.deadLetters).toEqual({ produced: 153, accepted: 150, rejected: 3, inDeadLetterTopic: 3, reconciles: true });
    expect(combined.facts).toEqual({ readPath: 'staged', jobRuns: 3, jobSeconds: 3.5 });
    expect(combined.visible).toBe(150);
    expect(combined.spanMicros).toBe(2_500_000);
    expect(achievedPerSec(combined)).toBe(60);
    expect(combined.backlog).toEqual([]);
    // Histograms merged: 1..1000 µs over both passes, exact within 3 significant digits.
    expect(latencyStats(combined.latency.total)).toEqual({
      count: 1000,
      p50Micros: 500,
      p90Micros: 900,
      p99Micros: 990,
      p999Micros: 999,
      maxMicros: 1000,
    });
    expect(combined.latency.summary().count).toBe(1000);
    expect(combined.freshness.totalCount).toBe(3);
    expect(latencyStats(combined.freshness).maxMicros).toBe(5_000);
    expect(combined.generatorLag.totalCount).toBe(3);
    expect(latencyStats(combined.generatorLag).p50Micros).toBe(20);
    // The inputs are left as they were.
    expect(a.latency.total.totalCount).toBe(500);
    expect(a.freshness.totalCount).toBe(1);
  });

  it('is correct only if both passes were, and reconciles only if both did', () => {
    const good = outcome({ latencyMicros: [1], firstSeq: 1 });
    const wrong = outcome({
      latencyMicros: [2],
      firstSeq: 1,
      correct: false,
      mismatchCount: 2,
      mismatches: [
        { key: 'a', windowStartMicros: 0 },
        { key: 'b', windowStartMicros: 0 },
      ],
      deadLetters: { produced: 102, accepted: 100, rejected: 2, inDeadLetterTopic: 1, reconciles: false },
    });
    for (const pair of [
      [good, wrong],
      [wrong, good],
    ]) {
      const combined = combineOutcomes(pair);
      expect(combined.correct).toBe(false);
      expect(combined.mismatchCount).toBe(2);
      expect(combined.mismatches).toHaveLength(2);
      expect(combined.deadLetters.reconciles).toBe(false);
    }
    expect(combineOutcomes([good, good]).correct).toBe(true);
    expect(combineOutcomes([good, good]).deadLetters.reconciles).toBe(true);
  });

  it('is errored if any pass was, keeping the first error', () => {
    const ok = outcome({ latencyMicros: [1], firstSeq: 1 });
    const first = outcome({ latencyMicros: [1], firstSeq: 1, state: 'errored', error: 'first failure' });
    const second = outcome({ latencyMicros: [1], firstSeq: 1, state: 'errored', error: 'second failure' });
    const combined = combineOutcomes([ok, first, second]);
    expect(combined.state).toBe('errored');
    expect(combined.error).toBe('first failure');
  });

  it('keeps at most ten mismatches for the report, but counts them all', () => {
    const mismatches = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, windowStartMicros: i }));
    const wrong = () => outcome({ latencyMicros: [1], firstSeq: 1, correct: false, mismatchCount: 7, mismatches });
    const combined = combineOutcomes([wrong(), wrong()]);
    expect(combined.mismatchCount).toBe(14);
    expect(combined.mismatches).toHaveLength(10);
  });

  it('keeps the engine the tier reported, from any pass that reported it, and summary.json records it', () => {
    const engine = { name: 'lake', version: 'DuckDB v1.5.6' };
    const failedEarly = outcome({ latencyMicros: [1], firstSeq: 1, state: 'errored', error: 'did not start' });
    const combined = combineOutcomes([failedEarly, outcome({ latencyMicros: [1], firstSeq: 1, facts: { engine } })]);
    expect(combined.facts.engine).toEqual(engine);
    const scenario = { eventsPerDay: 1e8, schedule: { realPeriodMs: 86_400_000 } };
    expect(tierSummary(combined, undefined, undefined, scenario).engine).toEqual(engine);
    expect(tierSummary(failedEarly, undefined, undefined, scenario)).not.toHaveProperty('engine');
  });
});
