import type { BreakEvenEntry as BreakEven, WarStoryCheck as WarStory } from '../results/summary.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { projectCosts, type CostInputs } from './model.ts';

/** Daily volumes searched for crossings and for the war story: a thousand to ten trillion events a day. */
const searchRange = { from: 1e3, to: 1e13 } as const;
const stepsPerDecade = 20;

const costAt = (inputs: CostInputs, tier: TierName, eventsPerDay: number) => projectCosts({ ...inputs, eventsPerDay })[tier]?.usdPerYear ?? 0;

/** Bisection in log volume for where `reached` turns true between lo (false) and hi (true). */
function bisect(reached: (volume: number) => boolean, lo: number, hi: number): number {
  let [a, b] = [Math.log(lo), Math.log(hi)];
  for (let i = 0; i < 60; i++) {
    const mid = (a + b) / 2;
    if (reached(Math.exp(mid))) b = mid;
    else a = mid;
  }
  return Math.exp((a + b) / 2);
}


export type { BreakEven, WarStory };

/** For each pair of tiers, the daily volume at which their projected costs cross (the first, going up). */
export function breakEvens(inputs: CostInputs): BreakEven[] {
  const names = tierNames.filter((name) => inputs.tiers[name]);
  const volumes = Array.from({ length: Math.round(Math.log10(searchRange.to / searchRange.from) * stepsPerDecade) + 1 }, (_, i) => searchRange.from * 10 ** (i / stepsPerDecade));
  const result: BreakEven[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      // names follow tierNames, simplest first: at equal cost the simpler tier counts as the cheaper, as in the recommendation.
      const [a, b] = [names[i]!, names[j]!];
      const cheaper = (volume: number) => (costAt(inputs, b, volume) < costAt(inputs, a, volume) ? b : a);
      let crossing: number | null = null;
      for (let k = 1; k < volumes.length && crossing === null; k++) {
        const [lo, hi] = [volumes[k - 1]!, volumes[k]!];
        const above = cheaper(hi);
        if (cheaper(lo) !== above) crossing = bisect((volume) => cheaper(volume) === above, lo, hi);
      }
      result.push({ tiers: [a, b], eventsPerDay: crossing, cheaperBelow: cheaper(searchRange.from), cheaperAbove: crossing === null ? cheaper(searchRange.from) : cheaper(crossing * 1.01) });
    }
  }
  return result;
}

/** The seed's story: streaming at $180k/year against a batch job at $30k; the over-architect at 6x the micro-batch that was enough. */
export const seedStory = { streamingUsdPerYear: 180_000, batchUsdPerYear: 30_000, streamingOverMicrobatch: 6 } as const;


/** Within a quarter of the seed's 6x counts as reproducing it. */
const tolerance = 0.25;

export function warStory(inputs: CostInputs): WarStory {
  if (!inputs.tiers.streaming || !inputs.tiers.microbatch) {
    return { eventsPerDay: null, usdPerYear: {}, streamingOverMicrobatch: null, verdict: 'not reached', why: 'the run did not measure both streaming and micro-batch' };
  }
  const reached = (volume: number) => costAt(inputs, 'streaming', volume) >= seedStory.streamingUsdPerYear;
  if (reached(searchRange.from) || !reached(searchRange.to)) {
    return { eventsPerDay: null, usdPerYear: {}, streamingOverMicrobatch: null, verdict: 'not reached', why: `streaming never costs $180k/year between ${searchRange.from.toExponential(0)} and ${searchRange.to.toExponential(0)} events/day as priced here` };
  }
  const eventsPerDay = bisect(reached, searchRange.from, searchRange.to);
  const costs = projectCosts({ ...inputs, eventsPerDay });
  const usdPerYear = Object.fromEntries(Object.entries(costs).map(([name, cost]) => [name, cost.usdPerYear])) as Partial<Record<TierName, number>>;
  const ratio = (usdPerYear.streaming ?? 0) / (usdPerYear.microbatch ?? 1);
  const reproduced = Math.abs(ratio / seedStory.streamingOverMicrobatch - 1) <= tolerance;
  const dollars = (usd: number | undefined) => `$${Math.round(usd ?? 0).toLocaleString('en-US')}`;
  const why =
    `at ${eventsPerDay.toExponential(2)} events/day streaming costs $180,000/year and micro-batch ${dollars(usdPerYear.microbatch)}: ${ratio.toFixed(1)}x, ` +
    (reproduced
      ? `within a quarter of the seed's 6x`
      : ratio < seedStory.streamingOverMicrobatch
        ? `not the seed's 6x: with the architectures priced, both always-on tiers pay for the same kind of Kafka cluster and workers, and streaming's extra (peak sizing, lower utilisation) does not reach 6x`
        : `more than the seed's 6x`) +
    (usdPerYear.batch !== undefined ? `; batch costs ${dollars(usdPerYear.batch)} there (the seed says $30,000)` : '');
  return { eventsPerDay, usdPerYear, streamingOverMicrobatch: ratio, verdict: reproduced ? 'reproduced' : 'refuted', why };
}
