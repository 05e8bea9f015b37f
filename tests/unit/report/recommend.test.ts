import { describe, expect, it } from 'vitest';
import { human, recommend, type OrderFlip } from '../../../src/results/recommend.ts';
import type { TierSummary } from '../../../src/results/summary.ts';
import type { TierName } from '../../../src/tiers/types.ts';

const second = 1_000_000;

function tier(p99Micros: number, usdPerYear: number, extra: Partial<TierSummary> = {}): TierSummary {
  return {
    state: 'ok',
    correct: true,
    latency: { p99Micros, count: 1_000 } as TierSummary['latency'],
    deadLetters: { produced: 1_010, accepted: 1_000, rejected: 10, inDeadLetterTopic: 10, reconciles: true },
    cost: { usdPerYear, architecture: 'test', measuredShare: 1, lines: [{ name: 'all of it', usdPerYear, basis: 'measured' }] },
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

  it('judges staleness when the results are read, where the run has it: the Monday dashboard', () => {
    // The seed's war story: a nightly job at 02:00 read Mondays at 09:00 is 7 h stale at every
    // read, though an event's own latency under that schedule reaches 23.8 h at p99.
    const hour = 3_600 * second;
    const read = (p99Micros: number, basis: 'measured' | 'computed') => ({ stalenessAtRead: { reads: 4, p50Micros: p99Micros, p99Micros, maxMicros: p99Micros, basis } });
    const monday = {
      streaming: tier(0.085 * second, 60_000, read(0.09 * second, 'measured')),
      microbatch: tier(5 * second, 30_000, read(5.2 * second, 'measured')),
      batch: tier(22 * second, 5_000, { ...tiers.batch, ...read(7.01 * hour, 'computed') }),
    };
    // At a 12 h SLA batch's per-event p99 (23.8 h) misses, its staleness at read (7 h) meets it.
    expect(recommend(tiers, 12 * hour).tier).toBe('microbatch');
    expect(recommend(monday, 12 * hour)).toEqual({
      tier: 'batch',
      why:
        'batch meets the SLA of 12.0 h with a p99 staleness at read of 7.01 h (computed from its real schedule) at $5,000/year; ' +
        'the other tiers that also meet it: microbatch at 6.00x the cost, streaming at 12.0x the cost.',
    });
    // Just below what batch is stale by at its reads, micro-batch is the answer.
    expect(recommend(monday, 7 * hour).tier).toBe('microbatch');
    // A tier with no read at all stands behind nothing.
    const unread = { ...monday, batch: { ...monday.batch, stalenessAtRead: { ...monday.batch.stalenessAtRead!, reads: 0 } } };
    expect(recommend(unread, 12 * hour).tier).toBe('microbatch');
  });

  it('says why, with the cost premium of the faster tiers', () => {
    expect(recommend(tiers, 300 * second).why).toBe(
      'microbatch meets the SLA of 5.00 min with a p99 of 5.00 s at $30,000/year; the other tiers that also meet it: streaming at 2.00x the cost.',
    );
  });

  it('prints a ratio with two decimals below 10x, so a 2% gap shows, and one decimal from 10x up', () => {
    // A day's SLA: all three meet it (batch 23.8 h projected), batch is the cheapest at $5,000.
    const spread = { ...tiers, microbatch: tier(5 * second, 5_100), streaming: tier(0.085 * second, 64_500) };
    expect(recommend(spread, 86_400 * second).why).toBe(
      'batch meets the SLA of 24.0 h with a p99 of 23.8 h under its real schedule (projected) at $5,000/year; ' +
        'the other tiers that also meet it: microbatch at 1.02x the cost, streaming at 12.9x the cost.',
    );
    // The boundary: 9.99x keeps two decimals, 10x exactly has one.
    const edge = { ...tiers, microbatch: tier(5 * second, 49_950), streaming: tier(0.085 * second, 50_000) };
    expect(recommend(edge, 86_400 * second).why).toContain('microbatch at 9.99x the cost, streaming at 10.0x the cost.');
  });

  it('skips tiers that errored or were wrong, and says when none meets the SLA', () => {
    const broken = { ...tiers, streaming: tier(0.085 * second, 60_000, { correct: false }) };
    expect(recommend(broken, 0.5 * second)).toEqual({
      tier: null,
      why: 'No tier meets the SLA of 500 ms at p99; the fastest, microbatch, has a p99 of 5.00 s.',
    });
  });

  it('says a projected figure is projected when the fastest tier still misses the SLA', () => {
    expect(recommend({ batch: tiers.batch }, 3600 * second)).toEqual({
      tier: null,
      why: 'No tier meets the SLA of 1.00 h at p99; the fastest, batch, has a p99 of 23.8 h under its real schedule (projected).',
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

  describe('on a tie in cost (an assumption at half or double reverses the order)', () => {
    // Streaming is the cheapest here, micro-batch 1.07x it; both meet an SLA of 5 minutes, batch does not.
    const close = { ...tiers, streaming: tier(0.085 * second, 28_000) };
    const brokerPrice = { assumption: 'price kafkaBrokerHour (not verified)', factor: 2 };
    /** A flips callback that reports `flip` for the pairs named, and records every question asked. */
    function flipsFor(pairs: Array<[TierName, TierName]>, flip = brokerPrice) {
      const asked: Array<[TierName, TierName]> = [];
      const flips: OrderFlip = (cheaper, simpler) => {
        asked.push([cheaper, simpler]);
        return pairs.some(([a, b]) => a === cheaper && b === simpler) ? flip : undefined;
      };
      return { flips, asked };
    }

    it('gives it to the simpler tier, saying by how much and which assumption', () => {
      const { flips, asked } = flipsFor([['streaming', 'microbatch']]);
      expect(recommend(close, 300 * second, flips)).toEqual({
        tier: 'microbatch',
        why:
          'microbatch meets the SLA of 5.00 min with a p99 of 5.00 s at $30,000/year; the other tiers that also meet it: streaming at 0.93x the cost. ' +
          'streaming costs 0.93x as much, within the uncertainty of the inputs (price kafkaBrokerHour (not verified) at double its value reverses their order), ' +
          'so the tie goes to the simpler tier.',
      });
      // Only the tiers that meet the SLA and are simpler than the cheapest are asked about; batch misses it.
      expect(asked).toEqual([['streaming', 'microbatch']]);
    });

    it('names half when it is halving the assumption that reverses the order', () => {
      const { flips } = flipsFor([['streaming', 'microbatch']], { assumption: 'workerMinimumVcpu', factor: 0.5 });
      expect(recommend(close, 300 * second, flips).why).toContain('(workerMinimumVcpu at half its value reverses their order)');
    });

    it('gives it to the simplest of the tied tiers', () => {
      // With a day's SLA all three meet it; streaming is made the cheapest, and both simpler tiers are tied with it.
      const all = { ...close, streaming: tier(0.085 * second, 4_000) };
      const both = flipsFor([['streaming', 'batch'], ['streaming', 'microbatch']]);
      const tied = recommend(all, 86_400 * second, both.flips);
      expect(tied.tier).toBe('batch');
      expect(tied.why).toContain('streaming costs 0.80x as much, within the uncertainty of the inputs (price kafkaBrokerHour (not verified) at double its value');
      expect(both.asked[0]).toEqual(['streaming', 'batch']);
      // Only micro-batch tied: micro-batch, though batch is simpler.
      const one = flipsFor([['streaming', 'microbatch']]);
      expect(recommend(all, 86_400 * second, one.flips).tier).toBe('microbatch');
      expect(one.asked).toEqual([
        ['streaming', 'batch'],
        ['streaming', 'microbatch'],
      ]);
    });

    it('gives it to the cheapest when nothing reverses the order, or when no flips are given', () => {
      const none = flipsFor([]);
      const untied = recommend(close, 300 * second, none.flips);
      expect(untied).toEqual({
        tier: 'streaming',
        why: 'streaming meets the SLA of 5.00 min with a p99 of 85.0 ms at $28,000/year; the other tiers that also meet it: microbatch at 1.07x the cost.',
      });
      expect(none.asked).toEqual([['streaming', 'microbatch']]);
      expect(recommend(close, 300 * second)).toEqual(untied);
      // A flip reported for another pair is not a tie between these two.
      expect(recommend(close, 300 * second, flipsFor([['microbatch', 'streaming']]).flips)).toEqual(untied);
    });

    it('asks nothing when the cheapest tier is already the simplest', () => {
      const { flips, asked } = flipsFor([['batch', 'microbatch']]);
      expect(recommend(tiers, 86_400 * second, flips).tier).toBe('batch');
      expect(asked).toEqual([]);
    });
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
