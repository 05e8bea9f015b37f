import {
  breakEvens,
  costAssumptions,
  costCurve,
  costRatios,
  defaultArchitectureChoice,
  loadAllArchitectures,
  loadChosenArchitectures,
  loadPriceSheet,
  priceVariants,
  projectCosts,
  warStory,
  type ArchitectureChoice,
  type CostInputs,
  type TierUsageForCost,
} from '../cost/index.ts';
import type { RateShape } from '../events/index.ts';
import type { ProcessUsageTotals } from '../metrics/resources.ts';
import { reprojectLatency } from '../metrics/schedule-latency.ts';
import { readsContextOf, readsFromSummary, restaleness } from '../results/staleness-at-read.ts';
import type { RunSchedule, RunSummary, TierCost } from '../results/summary.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { TierName } from '../tiers/types.ts';
import { engineOf, runSchedule, tierOptionsOf, type TierOptions } from '../tiers/registry.ts';
import type { TierOutcome } from './outcome.ts';

export function peakToMeanRate(rate: RateShape): number {
  if (rate.kind === 'bursts') return rate.factor;
  if (rate.kind === 'diurnal') return 1 + rate.amplitude;
  return 1;
}

/** What summary.json's cost section holds besides the volume and what needs the tiers' latency (sensitivity). */
export type RunCostSection = Omit<RunSummary['cost'], 'eventsPerDay' | 'sensitivity'>;

/** The cost model fed with what this run measured: bench/pricing's sheet, the scenario's architectures. */
export async function projectRunCosts(input: {
  scenario: Scenario;
  tiers: TierOutcome[];
  /** Mean key + value bytes of one event on the wire. */
  eventBytes: number;
  resources: Map<string, ProcessUsageTotals>;
}): Promise<{ costs: Partial<Record<TierName, TierCost>>; cost: RunCostSection; pricing: CostInputs }> {
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
      ...(outcome.facts.guarantee ? { guarantee: outcome.facts.guarantee } : {}),
    };
  }
  const pricing = await pricingFor(pricingScenarioOf(input.scenario), tiers, input.eventBytes, peakToMeanRate(input.scenario.rate));
  return { costs: projectCosts(pricing), cost: await costSection(pricing), pricing };
}

/**
 * What pricing a stored run again needs of a scenario, each part optional (the run's own is used
 * instead): the architectures, the tiers' options (for the engine each runs by default), the
 * schedules the tiers run on, when the results are read.
 */
export interface PricingScenario {
  architectures?: ArchitectureChoice;
  tiers?: TierOptions;
  schedule?: RunSchedule;
  reads?: Scenario['reads'];
}

/** A loaded scenario, as pricing takes it. */
export function pricingScenarioOf(scenario: Scenario): Required<Omit<PricingScenario, 'reads'>> & Pick<Scenario, 'eventsPerDay' | 'reads'> {
  return { architectures: scenario.architectures, tiers: tierOptionsOf(scenario), schedule: runSchedule(scenario), reads: scenario.reads, eventsPerDay: scenario.eventsPerDay };
}

async function pricingFor(
  scenario: { eventsPerDay: number; architectures: ArchitectureChoice; schedule: RunSchedule },
  tiers: CostInputs['tiers'],
  eventBytes: number,
  peakToMean: number,
): Promise<CostInputs> {
  return {
    sheet: await loadPriceSheet(),
    architectures: await loadChosenArchitectures(scenario.architectures),
    kafka: scenario.architectures.kafka,
    eventsPerDay: scenario.eventsPerDay,
    eventBytes,
    peakToMeanRate: peakToMean,
    realPeriodMs: scenario.schedule.realPeriodMs,
    triggerMs: scenario.schedule.microbatchTriggerMs,
    tiers,
  };
}

async function costSection(pricing: CostInputs): Promise<RunCostSection> {
  return {
    priceSheet: pricing.sheet.name,
    eventBytes: pricing.eventBytes,
    peakToMeanRate: pricing.peakToMeanRate,
    ratios: costRatios(projectCosts(pricing)),
    curve: costCurve(pricing),
    assumptions: costAssumptions(pricing.sheet, pricing),
    kafka: pricing.kafka,
    variants: priceVariants(pricing, await loadAllArchitectures()),
    breakEven: breakEvens(pricing),
    warStory: warStory(pricing),
  };
}

/** The measured use a stored summary keeps, as the cost model takes it. */
export function usageOf(summary: RunSummary): CostInputs['tiers'] {
  const tiers: CostInputs['tiers'] = {};
  for (const [name, tier] of Object.entries(summary.tiers) as Array<[TierName, NonNullable<RunSummary['tiers'][TierName]>]>) {
    tiers[name] = {
      cpuSeconds: tier.resources.cpuSeconds,
      peakRssBytes: tier.resources.peakRssBytes,
      ...tier.usage,
      ...(tier.guarantee ? { guarantee: tier.guarantee } : {}),
    };
  }
  return tiers;
}

/**
 * The architecture of each stored tier that ran on another engine than the scenario gives it (a
 * run with --engine): the one it was priced with, so that a micro-batch measured on the lake is
 * never billed as a Kafka one, nor the reverse.
 */
function pricedAsRun(summary: RunSummary, tierOptions: TierOptions | undefined): Partial<ArchitectureChoice> {
  const chosen: Partial<ArchitectureChoice> = {};
  for (const [name, tier] of Object.entries(summary.tiers) as Array<[TierName, NonNullable<RunSummary['tiers'][TierName]>]>) {
    if (tier.engine && tier.engine.name !== engineOf(name, tierOptions ?? {}) && tier.cost.architecture !== 'none') chosen[name] = tier.cost.architecture;
  }
  return chosen;
}

/**
 * A stored run's tiers with their cost (and batch's projected latency) projected again to another
 * daily volume, with the architectures of the scenario it ran (`scenario`, loaded by the caller).
 */
export async function reprojectCosts(
  summary: RunSummary,
  eventsPerDay: number,
  scenario: PricingScenario = {},
): Promise<RunSummary['tiers']> {
  const architectures = { ...(scenario.architectures ?? defaultArchitectureChoice), ...pricedAsRun(summary, scenario.tiers) };
  const schedule = scenario.schedule ?? summary.environment.schedule;
  const pricing = await pricingFor(
    { eventsPerDay, architectures, schedule },
    usageOf(summary),
    summary.cost.eventBytes,
    summary.cost.peakToMeanRate,
  );
  const costs = projectCosts(pricing);
  // The batch job's time under the real schedule grows with the volume per run, so its projected latency moves too.
  const volume = { eventsPerDay, realPeriodMs: pricing.realPeriodMs };
  // So does staleness at read: when the results are read, as the scenario (or advise) now says.
  const reads = readsContextOf({ eventsPerDay, reads: scenario.reads ?? readsFromSummary(summary), schedule });
  return Object.fromEntries(
    Object.entries(summary.tiers).map(([name, tier]) => {
      const projectedLatency = reprojectLatency(tier, volume);
      const stalenessAtRead = restaleness(tier, projectedLatency, reads);
      return [name, { ...tier, cost: costs[name as TierName] ?? tier.cost, ...(projectedLatency ? { projectedLatency } : {}), stalenessAtRead }];
    }),
  );
}
