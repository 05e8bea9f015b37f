import type { CostCurvePoint, TierCost } from '../report/summary.ts';
import type { TierName } from '../tiers/types.ts';
import type { PriceSheet } from './price-sheet.ts';

/** What the run measured for one tier, as summary.json has it. */
export interface TierUsageForCost {
  cpuSeconds: number;
  peakRssBytes: number;
  /** Events the tier made visible while it was measured. */
  events: number;
  s3Requests: { put: number; get: number; list: number };
  s3BytesWritten: number;
  kafkaBytesWritten: number;
  jobSeconds?: number;
  jobRuns?: number;
}

export interface CostInputs {
  sheet: PriceSheet;
  /** The production volume the scenario projects to. */
  eventsPerDay: number;
  /** Mean bytes of one event on the wire (key + value). */
  eventBytes: number;
  /** The scenario's peak rate over its mean rate, >= 1: streaming is sized for the peak. */
  peakToMeanRate: number;
  /** The batch job's real schedule (a day for a nightly job). */
  realPeriodMs: number;
  tiers: Partial<Record<TierName, TierUsageForCost>>;
}

const hoursPerYear = 24 * 365;
const monthsPerYear = 12;

/** Named parts of a tier's $/year; they add up to the total by construction. */
function total(breakdown: Record<string, number>): TierCost {
  return { usdPerYear: Object.values(breakdown).reduce((sum, part) => sum + part, 0), breakdown };
}

function perEvent(value: number, events: number): number {
  return events > 0 ? value / events : 0;
}

/** Always-on workers, sized from measured CPU per event at the rate they must keep up with. */
function workers(inputs: CostInputs, usage: TierUsageForCost, ratePerSec: number, utilisation: number) {
  const { sheet } = inputs;
  const vcpu = Math.max(sheet.assumptions.workerMinimumVcpu, (perEvent(usage.cpuSeconds, usage.events) * ratePerSec) / utilisation);
  return {
    compute: vcpu * hoursPerYear * sheet.prices.computeVcpuHour.usd,
    memory: vcpu * sheet.assumptions.workerGbPerVcpu * hoursPerYear * sheet.prices.computeGbHour.usd,
  };
}

/** The Kafka cluster an always-on tier needs on its own: brokers all year, and retained bytes. */
function kafkaCluster(inputs: CostInputs, usage: TierUsageForCost) {
  const { sheet, eventsPerDay } = inputs;
  const a = sheet.assumptions;
  const bytesPerEvent = inputs.eventBytes + perEvent(usage.kafkaBytesWritten, usage.events);
  const peakMBps = ((eventsPerDay / 86_400) * inputs.peakToMeanRate * bytesPerEvent) / 1e6;
  const brokers = Math.max(a.kafkaBrokersMinimum, Math.ceil((peakMBps * a.kafkaReplication) / a.kafkaBrokerWriteMBps));
  const storedGb = (eventsPerDay * bytesPerEvent * a.kafkaRetentionDays * a.kafkaReplication) / 1e9;
  return {
    kafkaBrokers: brokers * hoursPerYear * sheet.prices.kafkaBrokerHour.usd,
    kafkaStorage: storedGb * sheet.prices.kafkaStorageGbMonth.usd * monthsPerYear,
  };
}

function s3Requests(inputs: CostInputs, usage: TierUsageForCost): number {
  const { prices } = inputs.sheet;
  const perDay = (count: number) => perEvent(count, usage.events) * inputs.eventsPerDay;
  const puts = perDay(usage.s3Requests.put + usage.s3Requests.list);
  const gets = perDay(usage.s3Requests.get);
  return ((puts / 1000) * prices.s3PutPer1000.usd + (gets / 1000) * prices.s3GetPer1000.usd) * 365;
}

function streamingCost(inputs: CostInputs, usage: TierUsageForCost): TierCost {
  const a = inputs.sheet.assumptions;
  const peakRate = (inputs.eventsPerDay / 86_400) * inputs.peakToMeanRate;
  return total({ ...workers(inputs, usage, peakRate, a.streamingTargetUtilisation), ...kafkaCluster(inputs, usage) });
}

function microbatchCost(inputs: CostInputs, usage: TierUsageForCost): TierCost {
  const a = inputs.sheet.assumptions;
  return total({ ...workers(inputs, usage, inputs.eventsPerDay / 86_400, a.microbatchTargetUtilisation), ...kafkaCluster(inputs, usage) });
}

function batchCost(inputs: CostInputs, usage: TierUsageForCost): TierCost {
  const { sheet, eventsPerDay } = inputs;
  const a = sheet.assumptions;
  // Firehose bills each record rounded up to 5 KB; producers pack several events per record.
  const recordBytes = Math.ceil((inputs.eventBytes * a.eventsPerIngestRecord) / 5120) * 5120;
  const ingestGbPerDay = (eventsPerDay / a.eventsPerIngestRecord) * recordBytes / 1e9;
  const lakeGb = (eventsPerDay * perEvent(usage.s3BytesWritten, usage.events) * a.lakeRetentionDays) / 1e9;
  const runsPerDay = 86_400_000 / inputs.realPeriodMs;
  const jobVcpuSecondsPerDay = Math.max(
    runsPerDay * a.batchMinimumBilledSecondsPerRun,
    perEvent(usage.jobSeconds ?? 0, usage.events) * eventsPerDay,
  );
  const vcpuSecondPrice = (sheet.prices.computeVcpuHour.usd + a.workerGbPerVcpu * sheet.prices.computeGbHour.usd) / 3600;
  return total({
    ingestion: ingestGbPerDay * sheet.prices.ingestGb.usd * 365,
    s3Storage: lakeGb * sheet.prices.s3StorageGbMonth.usd * monthsPerYear,
    s3Requests: s3Requests(inputs, usage),
    jobCompute: jobVcpuSecondsPerDay * vcpuSecondPrice * 365,
  });
}

const costOf: Record<TierName, (inputs: CostInputs, usage: TierUsageForCost) => TierCost> = {
  batch: batchCost,
  microbatch: microbatchCost,
  streaming: streamingCost,
};

/** $/year per tier at the scenario's daily volume, from what the run measured. */
export function projectCosts(inputs: CostInputs): Partial<Record<TierName, TierCost>> {
  const costs: Partial<Record<TierName, TierCost>> = {};
  for (const [name, usage] of Object.entries(inputs.tiers) as Array<[TierName, TierUsageForCost]>) {
    costs[name] = costOf[name](inputs, usage);
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

/** Every assumption and price, as sentences for the report: the inputs on the page. */
export function costAssumptions(sheet: PriceSheet): string[] {
  const a = sheet.assumptions;
  const prices = Object.entries(sheet.prices).map(
    ([name, p]) => `${name}: $${p.usd} ${p.unit} (${p.source}${p.verified ? '' : ', not re-verified'}; read ${sheet.read})`,
  );
  return [
    `Prices: ${sheet.name}.`,
    'Always-on parts (Kafka brokers, streaming and micro-batch workers) are billed 24 hours a day, 365 days a year.',
    `Micro-batch and streaming each need a Kafka cluster of at least ${a.kafkaBrokersMinimum} brokers (replication ${a.kafkaReplication}, ${a.kafkaRetentionDays} days retained, ${a.kafkaBrokerWriteMBps} MB/s of writes planned per broker).`,
    `Workers are sized from the CPU each tier measurably spent per event: streaming at the peak rate with ${a.streamingTargetUtilisation * 100}% target utilisation, micro-batch at the mean rate with ${a.microbatchTargetUtilisation * 100}%; at least ${a.workerMinimumVcpu} vCPU, ${a.workerGbPerVcpu} GB per vCPU.`,
    `Batch needs no Kafka cluster: events reach S3 through Firehose (${a.eventsPerIngestRecord} events per record, each record billed in 5 KB steps); its job is billed only for its measured run time, at least ${a.batchMinimumBilledSecondsPerRun} s per scheduled run; the lake keeps ${a.lakeRetentionDays} days.`,
    'S3 requests scale with the requests measured per event; lab CPU per event is taken as production CPU per event.',
    ...prices,
  ];
}
