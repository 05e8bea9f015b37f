import type { RepeatFigures, RepeatSummary } from '../results/summary.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/*
 * docs/measurement.md, "Execution, spread and repeats": one run is one sample. Over --repeat N runs each percentile
 * gets its median and its min-max, and a difference between two runs is called real only when
 * it lies outside both measured spreads. Pure functions over numbers, so they are tested
 * against exact values.
 */

/** The median and range of one figure over the repeats of a run. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** How many repeats measured it. */
  n: number;
}

/** The percentiles kept per repeat, in the order they are shown. */
export const spreadPercentiles = ['p50Micros', 'p99Micros', 'p999Micros'] as const satisfies ReadonlyArray<keyof RepeatFigures>;
export type SpreadPercentile = (typeof spreadPercentiles)[number];

export type TierSpread = Record<SpreadPercentile, Spread>;

/** How B compares with A: 'faster' means B's latency is lower. */
export type Verdict = 'faster' | 'slower' | 'within spread' | 'cannot tell';

export interface SpreadComparison {
  /** b.median / a.median: above 1, B is slower. 1 when both are 0, Infinity when only A's is. */
  ratio: number;
  verdict: Verdict;
}

/**
 * The middle value; for an even count the mean of the two middle ones. An empty list is a
 * caller's bug (a figure nobody measured has no median), so it throws rather than return NaN
 * that would print as a latency.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread of no values');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/**
 * Per tier and percentile, the spread over the repeats that measured that tier (count > 0). A
 * repeat that measured nothing is no data, never a latency of 0; a tier no repeat measured is absent.
 */
export function tierSpread(repeats: readonly RepeatSummary[]): Partial<Record<TierName, TierSpread>> {
  const spreads: Partial<Record<TierName, TierSpread>> = {};
  for (const tier of tierNames) {
    const figures = repeats.flatMap((repeat) => {
      const measured = repeat.tiers[tier];
      return measured && measured.count > 0 ? [measured] : [];
    });
    if (figures.length === 0) continue;
    spreads[tier] = {
      p50Micros: spreadOf(figures.map((f) => f.p50Micros)),
      p99Micros: spreadOf(figures.map((f) => f.p99Micros)),
      p999Micros: spreadOf(figures.map((f) => f.p999Micros)),
    };
  }
  return spreads;
}

/**
 * B against A. A difference is real only when both runs have a spread (n >= 2) and their
 * [min, max] ranges do not overlap; ranges that touch overlap. One run on either side is one
 * sample, which cannot show whether a difference is more than noise: 'cannot tell'.
 */
export function compareSpreads(a: Spread, b: Spread): SpreadComparison {
  const ratio = a.median === 0 ? (b.median === 0 ? 1 : Infinity) : b.median / a.median;
  if (a.n < 2 || b.n < 2) return { ratio, verdict: 'cannot tell' };
  if (b.min > a.max) return { ratio, verdict: 'slower' };
  if (b.max < a.min) return { ratio, verdict: 'faster' };
  return { ratio, verdict: 'within spread' };
}
