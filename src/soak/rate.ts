import { newestResult } from '../datafiles/newest.ts';
import { TierlabError } from '../errors.ts';
import { capacityFileName, parseCapacity } from '../capacity/file.ts';
import { perSec } from '../results/capacity-render.ts';
import type { SoakRate } from '../results/soak.ts';
import type { TierName } from '../tiers/types.ts';

/** A tier's capacity as `tierlab capacity` measured it: the highest rate that met the SLA without falling behind. */
export interface KnownCapacity {
  perSec: number;
  runId: string;
}

/** The share of its capacity a soak offers by default: loaded, with headroom, as a service is run. */
export const defaultSoakLoad = 0.8;

/**
 * The rate a soak offers: `load` times the lowest capacity among its tiers (side by side they
 * share one stream, so the slowest sets it), or the rate asked for. With neither a capacity for
 * every tier nor a rate asked, it refuses, naming the tiers and the two ways out.
 */
export function chooseSoakRate(scenario: string, tiers: TierName[], capacities: Map<TierName, KnownCapacity>, load: number, askedPerSec?: number): SoakRate {
  const unknown = tiers.filter((tier) => !capacities.has(tier));
  const lowest = unknown.length === 0 ? tiers.map((tier) => ({ tier, ...capacities.get(tier)! })).sort((a, b) => a.perSec - b.perSec)[0] : undefined;
  if (askedPerSec !== undefined) {
    const share = lowest ? `, ${Math.round((askedPerSec / lowest.perSec) * 100)}% of ${lowest.tier}'s capacity of ${perSec(lowest.perSec)} (run ${lowest.runId})` : '';
    const missing = unknown.length > 0 ? `; no capacity is known for ${unknown.join(', ')}, so this is not a share of one` : '';
    return {
      ratePerSec: askedPerSec,
      basis: 'asked',
      ...(lowest ? { capacityPerSec: lowest.perSec, capacityRunId: lowest.runId } : {}),
      why: `${perSec(askedPerSec)} as asked (--rate)${share}${missing}`,
    };
  }
  if (!lowest) {
    throw new TierlabError(
      'BAD_INPUT',
      `no capacity of ${unknown.join(', ')} on ${scenario} is stored, so there is no capacity to soak at a share of: ` +
        `run \`tierlab capacity ${scenario} --tier ${unknown[0]}\` first, or give --rate`,
      { details: { scenario, tiers: unknown } },
    );
  }
  const ratePerSec = Math.max(1, Math.round(lowest.perSec * load));
  const others = tiers.length > 1 ? ` (the lowest of ${tiers.map((tier) => `${tier} ${perSec(capacities.get(tier)!.perSec)}`).join(', ')}, each measured alone)` : '';
  return {
    ratePerSec,
    basis: 'capacity',
    load,
    capacityPerSec: lowest.perSec,
    capacityRunId: lowest.runId,
    why: `${perSec(ratePerSec)}: ${Math.round(load * 100)}% of ${lowest.tier}'s capacity of ${perSec(lowest.perSec)} (run ${lowest.runId})${others}`,
  };
}

/** Each tier's newest stored capacity on the scenario (results/<run-id>/capacity.json), where one found a rate. */
export async function storedCapacities(
  resultsDir: string,
  scenario: string,
  tiers: TierName[],
  onSkip: (path: string, error: unknown) => void = () => {},
): Promise<Map<TierName, KnownCapacity>> {
  const known = new Map<TierName, KnownCapacity>();
  for (const tier of tiers) {
    const stored = await newestResult(resultsDir, capacityFileName, parseCapacity, (r) => r.scenario === scenario && typeof r.tiers[tier]?.maxRatePerSec === 'number', onSkip);
    const perSecond = stored?.result.tiers[tier]?.maxRatePerSec;
    if (stored && typeof perSecond === 'number') known.set(tier, { perSec: perSecond, runId: stored.result.runId });
  }
  return known;
}
