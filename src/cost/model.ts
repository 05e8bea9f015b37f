import type { CostCurvePoint, TierCost } from '../results/summary.ts';
import type { TierName } from '../tiers/types.ts';
import type { Architecture, ArchitectureChoice } from './architecture.ts';
import { kafkaBytesPerDay, priceParts, sizeKafka, type KafkaSizing, type PricingContext, type TierUsageForCost } from './price-parts.ts';
import type { PriceSheet } from './price-sheet.ts';

export type { CostLine, PricingContext, TierUsageForCost } from './price-parts.ts';

export interface CostInputs extends PricingContext {
  /** The architecture that prices each tier. */
  architectures: Record<TierName, Architecture>;
  kafka: ArchitectureChoice['kafka'];
  tiers: Partial<Record<TierName, TierUsageForCost>>;
}

const usesKafka = (architecture: Architecture) => architecture.parts.some((part) => part.kind === 'kafka-cluster');

/**
 * Shared: one cluster carries the events once and every Kafka tier's own writes, sized for all of
 * it, and each of those tiers pays an equal share. Per tier: each sizes and pays its own.
 */
function kafkaSizings(inputs: CostInputs): Partial<Record<TierName, KafkaSizing>> {
  const kafkaTiers = (Object.keys(inputs.tiers) as TierName[]).filter((name) => usesKafka(inputs.architectures[name]));
  if (inputs.kafka !== 'shared' || kafkaTiers.length === 0) return {};
  const ownWrites = kafkaTiers.reduce((sum, name) => sum + kafkaBytesPerDay(inputs, inputs.tiers[name]!) - inputs.eventsPerDay * inputs.eventBytes, 0);
  const sizing = sizeKafka(inputs, inputs.eventsPerDay * inputs.eventBytes + ownWrites, 1 / kafkaTiers.length);
  return Object.fromEntries(kafkaTiers.map((name) => [name, sizing]));
}

/** A tier's bill under one architecture: its lines, their total, and the share of it scaled from measurement. */
export function priceTier(architecture: Architecture, context: PricingContext, usage: TierUsageForCost, kafka?: KafkaSizing): TierCost {
  const lines = priceParts(architecture, context, usage, kafka);
  const usdPerYear = lines.reduce((sum, line) => sum + line.usdPerYear, 0);
  const measured = lines.filter((line) => line.basis === 'measured').reduce((sum, line) => sum + line.usdPerYear, 0);
  return { usdPerYear, architecture: architecture.name, measuredShare: usdPerYear > 0 ? measured / usdPerYear : 0, lines };
}

/** $/year per tier at the scenario's daily volume, from what the run measured. */
export function projectCosts(inputs: CostInputs): Partial<Record<TierName, TierCost>> {
  const shared = kafkaSizings(inputs);
  const costs: Partial<Record<TierName, TierCost>> = {};
  for (const [name, usage] of Object.entries(inputs.tiers) as Array<[TierName, TierUsageForCost]>) {
    costs[name] = priceTier(inputs.architectures[name], inputs, usage, shared[name]);
  }
  return costs;
}

export const defaultCurveVolumes = [1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/** The same projection at other daily volumes: fixed minimums dominate small, per-event costs large. */
export function costCurve(inputs: CostInputs, volumes = defaultCurveVolumes): CostCurvePoint[] {
  return volumes.map((eventsPerDay) => {
    const costs = projectCosts({ ...inputs, eventsPerDay });
    const usdPerYear = Object.fromEntries(Object.entries(costs).map(([name, cost]) => [name, cost.usdPerYear]));
    return { eventsPerDay, usdPerYear: usdPerYear as CostCurvePoint['usdPerYear'] };
  });
}

/** Each tier's $/year over the cheapest one's. */
export function costRatios(costs: Partial<Record<TierName, TierCost>>): Partial<Record<TierName, number>> {
  const values = Object.values(costs).map((c) => c.usdPerYear).filter((v) => v > 0);
  const cheapest = Math.min(...values);
  return Object.fromEntries(
    Object.entries(costs).map(([name, cost]) => [name, values.length > 0 ? cost.usdPerYear / cheapest : 0]),
  ) as Partial<Record<TierName, number>>;
}

/** Every architecture of each measured tier, priced on the same measurement (and the same Kafka sharing). */
export function priceVariants(inputs: CostInputs, all: Architecture[]) {
  return all.flatMap((architecture) => {
    const usage = inputs.tiers[architecture.tier];
    // Exactly-once costs what its own run measured (transactions): never priced on an at-least-once run, nor the reverse.
    if (!usage || (architecture.guarantee && architecture.guarantee !== (usage.guarantee ?? 'at-least-once'))) return [];
    const cost = projectCosts({ ...inputs, architectures: { ...inputs.architectures, [architecture.tier]: architecture } })[architecture.tier]!;
    return [{ tier: architecture.tier, architecture: architecture.name, title: architecture.title, usdPerYear: cost.usdPerYear, measuredShare: cost.measuredShare }];
  });
}

/** Every assumption and price, as sentences for the report: the inputs on the page. */
export function costAssumptions(sheet: PriceSheet, inputs: Pick<CostInputs, 'architectures' | 'kafka'>): string[] {
  const a = sheet.assumptions;
  const prices = Object.entries(sheet.prices).map(
    ([name, p]) => `${name}: $${p.usd} ${p.unit} (${p.source}; ${p.verified ? 'verified' : 'NOT verified: totals that use it carry that doubt'}${p.note ? `; ${p.note}` : ''})`,
  );
  return [
    `Prices: ${sheet.name}, sheet read ${sheet.read}.`,
    `Architectures priced: ${Object.entries(inputs.architectures).map(([tier, arch]) => `${tier} as "${arch.title}" (${arch.name})`).join('; ')}.`,
    inputs.kafka === 'shared'
      ? 'The Kafka tiers share one cluster, sized for all their traffic, and split its cost evenly.'
      : 'Each tier that needs Kafka is billed a cluster of its own.',
    'Always-on parts (Kafka brokers, workers) are billed 24 hours a day, 365 days a year.',
    `A Kafka cluster has at least ${a.kafkaBrokersMinimum} brokers (replication ${a.kafkaReplication}, ${a.kafkaRetentionDays} days retained, ${a.kafkaBrokerWriteMBps} MB/s of writes planned per broker).`,
    `Workers are sized from the CPU the tier measurably spent per event, at least ${a.workerMinimumVcpu} vCPU, ${a.workerGbPerVcpu} GB per vCPU; lab CPU per event is taken as production CPU per event.`,
    'A line is "measured" when it scales with what this run measured, "assumed" when a constant (a minimum size, a fixed request count) sets it.',
    ...prices,
  ];
}
