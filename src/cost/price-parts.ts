import type { Architecture, ArchitecturePart } from './architecture.ts';
import type { PriceSheet } from './price-sheet.ts';
import type { Guarantee } from '../tiers/guarantee.ts';

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
  /** What the tier promised after a crash, where it offers a choice: an architecture for another guarantee is not priced on it. */
  guarantee?: Guarantee;
}

/** Everything a price depends on besides the architecture: the sheet, the volume, and what was measured. */
export interface PricingContext {
  sheet: PriceSheet;
  eventsPerDay: number;
  /** Mean bytes of one event on the wire (key + value), from the run's events. */
  eventBytes: number;
  /** The scenario's peak rate over its mean rate, >= 1. */
  peakToMeanRate: number;
  /** The batch job's real schedule (a day for a nightly job). */
  realPeriodMs: number;
  /** The micro-batch trigger interval. */
  triggerMs: number;
}

/**
 * One line of a bill. `measured`: scaled from what this run measured (CPU, bytes, requests, job
 * time per event). `assumed`: set by a constant of the price sheet or the architecture (a
 * minimum broker count, a minimum worker size, a minimum billed run) whatever the run measured.
 */
export interface CostLine {
  name: string;
  usdPerYear: number;
  basis: 'measured' | 'assumed';
}

/** A Kafka cluster's brokers and retained bytes, before it is billed to one tier or split among several. */
export interface KafkaSizing {
  brokers: number;
  /** The broker count came from the measured bytes, not from the minimum. */
  brokersMeasured: boolean;
  storedGb: number;
  /** The share of the cluster this tier pays: 1 for a cluster of its own. */
  share: number;
}

const hoursPerYear = 24 * 365;
const perEvent = (value: number, events: number) => (events > 0 ? value / events : 0);
/** Whether the measured tier ran scheduled queries of its own (a lake job), so their time and requests are its own. */
const ranQueries = (usage: TierUsageForCost) => (usage.jobRuns ?? 0) > 0 && usage.jobSeconds !== undefined;

/** Bytes a tier puts through Kafka per event: the event itself and what it writes back (results, dead letters). */
export function kafkaBytesPerDay(context: PricingContext, usage: TierUsageForCost): number {
  return context.eventsPerDay * (context.eventBytes + perEvent(usage.kafkaBytesWritten, usage.events));
}

/** Brokers for a write rate at the peak, replicated, at the planned MB/s per broker; never below the minimum. */
export function sizeKafka(context: PricingContext, bytesPerDay: number, share = 1): KafkaSizing {
  const a = context.sheet.assumptions;
  const peakMBps = ((bytesPerDay / 86_400) * context.peakToMeanRate) / 1e6;
  const needed = Math.ceil((peakMBps * a.kafkaReplication) / a.kafkaBrokerWriteMBps);
  return {
    brokers: Math.max(a.kafkaBrokersMinimum, needed),
    brokersMeasured: needed > a.kafkaBrokersMinimum,
    storedGb: (bytesPerDay * a.kafkaRetentionDays * a.kafkaReplication) / 1e9,
    share,
  };
}

/** The lines one part of an architecture adds to a tier's bill. */
export function priceParts(architecture: Architecture, context: PricingContext, usage: TierUsageForCost, kafka: KafkaSizing | undefined): CostLine[] {
  return architecture.parts.flatMap((part) => pricePart(part, context, usage, kafka));
}

function pricePart(part: ArchitecturePart, context: PricingContext, usage: TierUsageForCost, kafka: KafkaSizing | undefined): CostLine[] {
  const { sheet, eventsPerDay } = context;
  const { prices, assumptions } = sheet;
  switch (part.kind) {
    case 'kafka-cluster': {
      const sizing = kafka ?? sizeKafka(context, kafkaBytesPerDay(context, usage));
      return [
        { name: 'Kafka brokers', usdPerYear: sizing.brokers * hoursPerYear * prices.kafkaBrokerHour.usd * sizing.share, basis: sizing.brokersMeasured ? 'measured' : 'assumed' },
        { name: 'Kafka storage', usdPerYear: sizing.storedGb * prices.kafkaStorageGbMonth.usd * 12 * sizing.share, basis: 'measured' },
      ];
    }
    case 'workers': {
      const cpuSeconds = part.excludeJobTime ? Math.max(0, usage.cpuSeconds - (usage.jobSeconds ?? 0)) : usage.cpuSeconds;
      const rate = (eventsPerDay / 86_400) * (part.sizedFor === 'peak' ? context.peakToMeanRate : 1);
      const needed = (perEvent(cpuSeconds, usage.events) * rate) / part.utilisation;
      const vcpu = Math.max(assumptions.workerMinimumVcpu, needed);
      const basis = needed > assumptions.workerMinimumVcpu ? 'measured' : 'assumed';
      return [
        { name: 'worker compute', usdPerYear: vcpu * hoursPerYear * prices.computeVcpuHour.usd, basis },
        { name: 'worker memory', usdPerYear: vcpu * assumptions.workerGbPerVcpu * hoursPerYear * prices.computeGbHour.usd, basis },
      ];
    }
    case 'delivery': {
      const recordBytes = Math.ceil((context.eventBytes * part.eventsPerRecord) / 5120) * 5120;
      const gbPerDay = ((eventsPerDay / part.eventsPerRecord) * recordBytes) / 1e9;
      return [{ name: 'delivery to S3', usdPerYear: gbPerDay * prices.ingestGb.usd * 365, basis: 'measured' }];
    }
    case 'object-storage': {
      // Bytes per event as the run wrote them to S3; a tier that wrote none stores the events as they are.
      const bytesPerEvent = usage.s3BytesWritten > 0 ? perEvent(usage.s3BytesWritten, usage.events) : context.eventBytes;
      const gb = (eventsPerDay * bytesPerEvent * part.retentionDays) / 1e9;
      return [{ name: 'lake storage', usdPerYear: gb * prices.s3StorageGbMonth.usd * 12, basis: 'measured' }];
    }
    case 'object-requests': {
      if (part.putsPerTrigger !== undefined || part.getsPerTrigger !== undefined) {
        const triggersPerDay = 86_400_000 / context.triggerMs;
        // A tier that ran the per-trigger queries itself (micro-batch on the lake engine) measured its
        // requests per run; one that made none of its own (on Kafka) is billed the file's counts.
        const measured = ranQueries(usage) && usage.s3Requests.put + usage.s3Requests.get + usage.s3Requests.list > 0;
        const puts = measured ? (usage.s3Requests.put + usage.s3Requests.list) / usage.jobRuns! : (part.putsPerTrigger ?? 0);
        const gets = measured ? usage.s3Requests.get / usage.jobRuns! : (part.getsPerTrigger ?? 0);
        const usd = ((triggersPerDay * puts) / 1000) * prices.s3PutPer1000.usd + ((triggersPerDay * gets) / 1000) * prices.s3GetPer1000.usd;
        return [{ name: 'S3 requests', usdPerYear: usd * 365, basis: measured ? 'measured' : 'assumed' }];
      }
      const perDay = (count: number) => perEvent(count, usage.events) * eventsPerDay;
      const puts = perDay(usage.s3Requests.put + usage.s3Requests.list);
      const gets = perDay(usage.s3Requests.get);
      return [{ name: 'S3 requests', usdPerYear: ((puts / 1000) * prices.s3PutPer1000.usd + (gets / 1000) * prices.s3GetPer1000.usd) * 365, basis: 'measured' }];
    }
    case 'job-compute': {
      const periodMs = part.runsEvery === 'schedule' ? context.realPeriodMs : context.triggerMs;
      const runsPerDay = 86_400_000 / periodMs;
      // A scheduled job's measured run time; so a per-trigger query's, where the tier ran the queries
      // (micro-batch on the lake engine: its worker's CPU also did the delivery, billed apart). Priced on
      // a tier that ran none (micro-batch on Kafka), the CPU that tier spent per event stands in for it.
      const seconds = part.runsEvery === 'schedule' ? (usage.jobSeconds ?? 0) : ranQueries(usage) ? usage.jobSeconds! : usage.cpuSeconds;
      const secondsPerEvent = perEvent(seconds, usage.events);
      const measuredSeconds = secondsPerEvent * eventsPerDay;
      const minimumSeconds = runsPerDay * part.minimumBilledSecondsPerRun;
      const vcpuSecondPrice = (prices.computeVcpuHour.usd + assumptions.workerGbPerVcpu * prices.computeGbHour.usd) / 3600;
      return [
        {
          name: part.runsEvery === 'schedule' ? 'job compute' : 'query compute',
          usdPerYear: Math.max(minimumSeconds, measuredSeconds) * vcpuSecondPrice * 365,
          basis: measuredSeconds > minimumSeconds ? 'measured' : 'assumed',
        },
      ];
    }
  }
}
