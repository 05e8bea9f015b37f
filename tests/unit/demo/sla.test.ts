import { describe, expect, it } from 'vitest';
import { flipFrom } from '../../../src/demo/page/flips.ts';
import { laneVerdict, microsToSlider, recommendationAt, sliderToMicros, slaRange } from '../../../src/demo/page/sla.ts';
import { flipTable } from '../../../src/demo/final.ts';
import type { DemoFinal } from '../../../src/demo/types.ts';
import { recommend } from '../../../src/results/recommend.ts';
import { makeRunSummary } from '../report/summary-builder.ts';

describe('the SLA slider (log scale, 1 ms to 7 days)', () => {
  it('maps its ends and round-trips', () => {
    expect(sliderToMicros(0)).toBe(slaRange.minMicros);
    expect(sliderToMicros(slaRange.steps)).toBe(slaRange.maxMicros);
    for (const micros of [500_000, 60_000_000, 86_400_000_000]) {
      expect(Math.abs(sliderToMicros(microsToSlider(micros)) / micros - 1)).toBeLessThan(0.02);
    }
    expect(microsToSlider(1)).toBe(0);
    expect(microsToSlider(1e15)).toBe(slaRange.steps);
  });
});

describe('the page recommendation', () => {
  const summary = makeRunSummary();
  const final = { tiers: summary.tiers, flips: {} } as DemoFinal;

  it('is recommend() itself, moving with the SLA', () => {
    for (const sla of [1_000, 500_000, 300_000_000, 7 * 86_400_000_000]) {
      expect(recommendationAt(final, sla)).toEqual(recommend(summary.tiers, sla));
    }
    expect(recommendationAt(final, 1_000).tier).toBeNull();
    expect(recommendationAt(final, 7 * 86_400_000_000).tier).toBe('batch');
  });

  it('keeps the tie rule through the flip table', () => {
    const flip = (cheaper: string, simpler: string) => (cheaper === 'streaming' && simpler === 'microbatch' ? { assumption: 'broker price', factor: 2 } : undefined);
    const table = flipTable(['batch', 'microbatch', 'streaming'], flip);
    expect(table).toEqual({ 'streaming>microbatch': { assumption: 'broker price', factor: 2 } });
    expect(flipFrom(table)('streaming', 'microbatch')).toEqual({ assumption: 'broker price', factor: 2 });
    expect(flipFrom(table)('microbatch', 'batch')).toBeUndefined();
  });

  it('judges a lane by the run once done, by the live p99 before', () => {
    const live = { p99Micros: 2_000_000 } as Parameters<typeof laneVerdict>[1];
    expect(laneVerdict(1_000_000, live, undefined)).toEqual({ meets: false, basis: 'so far' });
    expect(laneVerdict(3_000_000, live, undefined)).toEqual({ meets: true, basis: 'so far' });
    expect(laneVerdict(3_000_000, undefined, undefined)).toBeUndefined();
    expect(laneVerdict(7 * 86_400_000_000, live, summary.tiers.batch)).toEqual({ meets: true, basis: 'final' });
  });
});
