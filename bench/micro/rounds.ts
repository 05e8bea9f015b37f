// One run of `npm run bench` is several rounds of every bench: one tinybench median is one sample,
// and a regression is judged against how far the rounds wander (compare.ts). Pure, no IO.
import { median } from '../../src/metrics/spread.ts';
import type { BenchMedian, BenchSpread } from './baseline.ts';

export const defaultRounds = 3;

/**
 * Per benchmark, in the order first measured: the median of its round medians and the lowest and
 * highest of them. A benchmark that did not complete in a round simply has fewer medians (the run
 * fails on it anyway). The same name in two units is a bug in the bench code, not a measurement.
 */
export function spreadOverRounds(medians: readonly BenchMedian[]): BenchSpread[] {
  const byName = new Map<string, { unit: BenchMedian['unit']; values: number[] }>();
  for (const { name, unit, median: value } of medians) {
    const seen = byName.get(name);
    if (seen === undefined) byName.set(name, { unit, values: [value] });
    else if (seen.unit !== unit) throw new Error(`benchmark "${name}" measured in ${seen.unit} and in ${unit}`);
    else seen.values.push(value);
  }
  return [...byName].map(([name, { unit, values }]) => ({ name, unit, median: median(values), low: Math.min(...values), high: Math.max(...values) }));
}
