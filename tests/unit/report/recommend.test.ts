import { describe, expect, it } from 'vitest';
import { human, recommend } from '../../../src/report/recommend.ts';
import type { TierSummary } from '../../../src/report/summary.ts';

const second = 1_000_000;

function tier(p99Micros: number, usdPerYear: number, extra: Partial<TierSummary> = {}): TierSummary {
  return {
    state: 'ok',
    correct: true,
    latency: { p99Micros, count: 1_000 } as TierSummary['latency'],
    deadLetters: { produced: 1_010, accepted: 1_000, rejected: 10, inDeadLetterTopic: 10, reconciles: true },
    cost: { usdPerYear, breakdown: {} },
    ...extra,
  } as TierSummary;
}

// Measured shapes from a demo run: streaming 85 ms, micro-batch 5 s, batch 22 s compressed / ~24 h real.
const tiers = {
  streaming: tier(0.085 * second, 60_000),
  microbatch: tier(5 * second, 30_000),
  batch: tier(22 * second, 5_000, { projectedLatency: { p99Micros: 23.8 * 3600 * second, count: 1_000 } as TierSummary['latency'] }),
};

describe('the recommendation', () => {
  it('moves with the SLA, from the measured numbers', () => {
    expect(recommend(tiers, 86_400 * second).tier).toBe('batch');
    expect(recommend(tiers, 300 * second).tier).toBe('microbatch');
    expect(recommend(tiers, 0.5 * second).tier).toBe('streaming');
  });

  it('judges batch by its latency under the real schedule, not the compressed one', () => {
    expect(recommend(tiers, 60 * second).tier).toBe('microbatch');
  });

  it('says why, with the cost premium of the faster tiers', () => {
    expect(recommend(tiers, 300 * second).why).toBe(
      'microbatch meets the SLA of 5.00 min with a p99 of 5.00 s at $30,000/year; the other tiers that also meet it: streaming at 2.0x the cost.',
    );
  });

  it('skips tiers that errored or were wrong, and says when none meets the SLA', () => {
    const broken = { ...tiers, streaming: tier(0.085 * second, 60_000, { correct: false }) };
    expect(recommend(broken, 0.5 * second)).toEqual({
      tier: null,
      why: 'No tier meets the SLA of 500 ms at p99; the fastest, microbatch, measured 5.00 s.',
    });
  });

  it('never counts an empty histogram as meeting the SLA: no data is not a p99 of 0', () => {
    const empty = { ...tiers, streaming: tier(0, 1, { latency: { p99Micros: 0, count: 0 } as TierSummary['latency'] }) };
    expect(recommend(empty, 0.5 * second).tier).toBeNull();
  });

  it('skips a tier whose dead letters do not reconcile, as it skips a wrong one', () => {
    const leaky = {
      ...tiers,
      streaming: tier(0.085 * second, 60_000, { deadLetters: { produced: 1_010, accepted: 990, rejected: 10, inDeadLetterTopic: 10, reconciles: false } }),
    };
    expect(recommend(leaky, 0.5 * second).tier).toBeNull();
  });

  it('prefers the simpler tier on a tie in cost', () => {
    expect(recommend({ microbatch: tier(1 * second, 10), streaming: tier(0.01 * second, 10) }, 2 * second).tier).toBe('microbatch');
  });

  it('formats durations for people', () => {
    expect([human(850), human(3_185), human(2_629_631), human(300 * second), human(12 * 3600 * second)]).toEqual([
      '850 µs',
      '3.19 ms',
      '2.63 s',
      '5.00 min',
      '12.0 h',
    ]);
  });
});
