import { costAssumptions, costCurve, costRatios, loadPriceSheet, projectCosts, type CostInputs, type TierUsageForCost } from '../cost/index.ts';
import type { RateShape } from '../events/index.ts';
import type { ProcessUsageTotals } from '../metrics/resources.ts';
import type { RunSummary, TierCost } from '../report/summary.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { TierName } from '../tiers/types.ts';
import type { TierOutcome } from './outcome.ts';

export function peakToMeanRate(rate: RateShape): number {
  if (rate.kind === 'bursts') return rate.factor;
  if (rate.kind === 'diurnal') return 1 + rate.amplitude;
  return 1;
}

/** The cost model fed with what this run measured; the price sheet is bench/pricing's. */
export async function projectRunCosts(input: {
  scenario: Scenario;
  tiers: TierOutcome[];
  /** Mean key + value bytes of one event on the wire. */
  eventBytes: number;
  resources: Map<string, ProcessUsageTotals>;
}): Promise<{ costs: Partial<Record<TierName, TierCost>>; cost: Omit<RunSummary['cost'], 'eventsPerDay'> }> {
  const sheet = await loadPriceSheet();
  const tiers: Partial<Record<TierName, TierUsageForCost>> = {};
  for (const outcome of input.tiers) {
    const resources = input.resources.get(`tier:${outcome.name}`);
    tiers[outcome.name] = {
      cpuSeconds: resources?.cpuSeconds ?? 0,
      peakRssBytes: resources?.peakRssBytes ?? 0,
      events: outcome.visible,
      s3Requests: outcome.usage.s3Requests,
      s3BytesWritten: outcome.usage.s3BytesWritten,
      kafkaBytesWritten: outcome.usage.kafkaBytesWritten,
      ...(outcome.facts.jobRuns !== undefined ? { jobSeconds: outcome.facts.jobSeconds ?? 0, jobRuns: outcome.facts.jobRuns } : {}),
    };
  }
  const inputs: CostInputs = {
    sheet,
    eventsPerDay: input.scenario.eventsPerDay,
    eventBytes: input.eventBytes,
    peakToMeanRate: peakToMeanRate(input.scenario.rate),
    realPeriodMs: input.scenario.batch.realPeriodMs,
    tiers,
  };
  const costs = projectCosts(inputs);
  return {
    costs,
    cost: {
      priceSheet: sheet.name,
      eventBytes: inputs.eventBytes,
      peakToMeanRate: inputs.peakToMeanRate,
      ratios: costRatios(costs),
      curve: costCurve(inputs),
      assumptions: costAssumptions(sheet),
    },
  };
}

/** A stored run's tiers with their cost projected again to another daily volume. */
export async function reprojectCosts(summary: RunSummary, eventsPerDay: number): Promise<RunSummary['tiers']> {
  const sheet = await loadPriceSheet();
  const tiers: Partial<Record<TierName, TierUsageForCost>> = {};
  for (const [name, tier] of Object.entries(summary.tiers) as Array<[TierName, NonNullable<RunSummary['tiers'][TierName]>]>) {
    tiers[name] = { cpuSeconds: tier.resources.cpuSeconds, peakRssBytes: tier.resources.peakRssBytes, ...tier.usage };
  }
  const costs = projectCosts({
    sheet,
    eventsPerDay,
    eventBytes: summary.cost.eventBytes,
    peakToMeanRate: summary.cost.peakToMeanRate,
    realPeriodMs: summary.environment.schedule.realPeriodMs,
    tiers,
  });
  return Object.fromEntries(
    Object.entries(summary.tiers).map(([name, tier]) => [name, { ...tier, cost: costs[name as TierName] ?? tier.cost }]),
  );
}
