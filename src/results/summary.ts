import type { LatencyStats } from '../metrics/histogram.ts';
import type { LatencySummary } from '../metrics/latency.ts';
import type { TierName } from '../tiers/types.ts';
import type { KafkaClientName } from '../kafka/driver/types.ts';
import type { Guarantee } from '../tiers/guarantee.ts';
import type { TierEngine } from '../tiers/engine.ts';
import type { LakehouseSummary } from './lakehouse.ts';

/**
 * results/<run-id>/summary.json: the contract in docs/outputs.md. The report (HTML and
 * Markdown) and `tierlab advise` are made from this file alone.
 */
export const summarySchemaVersion = 3;

/** How the tiers were measured: each alone on the identical stream, or side by side. */
export const executions = ['isolated', 'together'] as const;
export type Execution = (typeof executions)[number];

/** The figures of one percentile set, as kept per repeat. */
export interface RepeatFigures {
  /** Events in the percentiles: 0 means this repeat measured nothing for the tier (no data, not 0 µs). */
  count: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
}

/** One repeat of the measurement: its own percentiles and what it alone would recommend. */
export interface RepeatSummary {
  recommendation: TierName | null;
  tiers: Partial<Record<TierName, RepeatFigures>>;
}

/** What was done to bring the services to steady state before anything was measured. */
export interface WarmupSummary {
  /** False when warm-up was skipped (--no-warmup). */
  done: boolean;
  durationSec: number;
  records: number;
  ratePerSec: number;
  /** p99 produce latency (acks=all) of each warm-up step, in order: it should fall, then level off. */
  stepP99Micros: number[];
  /** True when produce latency stopped improving before the time bound. */
  converged: boolean;
  /** Requests sent to the S3 server to warm it (PUT, GET, LIST, DELETE). */
  s3Requests: number;
}

export interface ProcessUsage {
  /** e.g. "tier:streaming", "generator", "kafka-broker", "s3-server". */
  name: string;
  pid?: number;
  cpuSeconds: number;
  peakRssBytes: number;
  meanRssBytes: number;
  /** How the numbers were read: "/proc", "process.cpuUsage", "docker stats", "not measured". */
  source: string;
}

export interface LatencyPoint {
  percentile: number;
  micros: number;
}

export interface FaultSummary {
  spec: string;
  tier: TierName;
  atMicros: number;
  /** From the fault to the first result visible after it; null if none was. */
  recoveryMicros: number | null;
  /** broker-restart and s3-outage: from the fault until the server served again. */
  outageMicros?: number;
  /** A worker that ended without being asked to (not a --fault), replaced as an orchestrator would. */
  unplanned?: boolean;
}

export interface CostLineSummary {
  name: string;
  usdPerYear: number;
  /** measured: scaled from this run's resource use; assumed: set by a constant of the price sheet or the architecture. */
  basis: 'measured' | 'assumed';
}

export interface TierCost {
  usdPerYear: number;
  /** The production architecture priced (bench/architectures/NAME.yaml). */
  architecture: string;
  /** The share of usdPerYear on measured lines, 0 to 1. */
  measuredShare: number;
  /** The bill's lines; they add up to usdPerYear. */
  lines: CostLineSummary[];
}

/** A tier priced under another of its architectures, on the same measurement. */
export interface CostVariant {
  tier: TierName;
  architecture: string;
  title: string;
  usdPerYear: number;
  measuredShare: number;
}

/** The cost model's results as summary.json keeps them (src/cost computes them). */
export interface SensitivityEntry {
  assumption: string;
  /** Each tier's $/year with the assumption at half its value, and at double. */
  low: Partial<Record<TierName, number>>;
  high: Partial<Record<TierName, number>>;
  /** The largest move of any tier's cost ratio (its cost over the cheapest's) between half and double. */
  ratioSwing: number;
  changesRecommendation: boolean;
}

export interface BreakEvenEntry {
  tiers: [TierName, TierName];
  /** Where their costs cross; null when one is cheaper over the whole range searched. */
  eventsPerDay: number | null;
  cheaperBelow: TierName;
  cheaperAbove: TierName;
}

export interface WarStoryCheck {
  /** The daily volume at which streaming, as priced here, costs the seed's $180k/year. */
  eventsPerDay: number | null;
  usdPerYear: Partial<Record<TierName, number>>;
  streamingOverMicrobatch: number | null;
  verdict: 'reproduced' | 'refuted' | 'not reached';
  why: string;
}


/** A tier's latency: the percentiles, where the median goes, and the whole HDR histogram. */
export interface TierLatencySummary extends LatencySummary {
  /** Events whose visible time came before their event time (a clock step): counted, never clamped away. */
  negativeCount: number;
  /** The full HDR histogram, in the library's compressed base64 encoding, to compare runs later. */
  histogram: string;
}

export interface StalenessAtRead {
  /** Reads the figures stand on (for continuous reads: events). */
  reads: number;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
  basis: 'measured' | 'computed';
}

/** When a scenario's results are read (docs/measurement.md, "Staleness at read"). */
export interface ReadsSummary {
  kind: 'continuous' | 'every' | 'cron';
  every?: string;
  cron?: string;
  tz?: string;
}

export interface TierSummary {
  state: 'ok' | 'errored';
  error?: string;
  correct: boolean;
  /** Events of the ground truth missing from the committed result (Jepsen's "unseen"); 0 for a correct tier. */
  unseen: number;
  /** Events counted more than once in the committed result; 0 for a correct tier. */
  appliedTwice: number;
  /** What the tier promised after a crash, where it offers a choice (streaming). */
  guarantee?: Guarantee;
  /** Which implementation ran the tier (node, lake) and its version, as the tier reported it; absent from runs before engines were recorded. */
  engine?: TierEngine;
  /** Worker processes in the tier's consumer group, and the partitions they took over from one another; absent for one worker. */
  scaleOut?: { workers: number; partitionTakeovers: number };
  mismatches: number;
  /** Up to ten differing windows: key, window and both values. */
  mismatchSamples: unknown[];
  latency: TierLatencySummary;
  warmupLatency: LatencyStats;
  /** The generator's lag (scheduled -> sent) while this tier was measured: in isolated execution, its own. */
  generatorLag: { p50Micros: number; p99Micros: number; maxMicros: number };
  /** Batch only: under the real schedule (wait scaled from the compressed period, measured job time). */
  projectedLatency?: LatencyStats;
  /** The latency distribution for charts: percentile -> µs, from the HDR histogram. */
  distribution: LatencyPoint[];
  /** Age of the newest visible result, sampled every second while events flowed (a dashboard's view). */
  freshness: LatencyStats;
  /**
   * What the SLA is judged on: at each read of the results (summary.reads), the age of the oldest
   * event not yet visible. `computed` from the real schedule (batch), `measured` at read instants
   * every 100 ms (the others), or the per-event latency for continuous reads. Absent from runs
   * before reads were modelled.
   */
  stalenessAtRead?: StalenessAtRead;
  /**
   * Staleness measured at read instants every 100 ms while the stream ran (after warm-up), kept
   * whatever the scenario's reads, so `tierlab advise --reads` can judge other reads from the run.
   */
  stalenessMeasured?: { reads: number; p50Micros: number; p99Micros: number; maxMicros: number };
  /**
   * Events this tier made visible per second, from the first event's scheduled time to the last
   * visible result (drain included): what it achieved, never the offered rate echoed back.
   */
  achievedPerSec: number;
  resources: { cpuSeconds: number; peakRssBytes: number; meanRssBytes: number };
  usage: {
    /** Events this tier made visible in the run. */
    events: number;
    runSeconds: number;
    s3Requests: { put: number; get: number; list: number };
    s3BytesWritten: number;
    kafkaBytesWritten: number;
    /** Batch: seconds its scheduled job ran, summed over runs, and how many runs. */
    jobSeconds?: number;
    jobRuns?: number;
  };
  deadLetters: { produced: number; accepted: number; rejected: number; inDeadLetterTopic: number; reconciles: boolean };
  cost: TierCost;
}

export interface CostCurvePoint {
  eventsPerDay: number;
  /** The tiers the run measured. */
  usdPerYear: Partial<Record<TierName, number>>;
}

/**
 * The schedules a run's tiers ran on, as each tier declares its part (its descriptor's `schedule`):
 * the lab's compressed period and the real one it projects to, the micro-batch trigger, and cron
 * and tz, the real schedule with its phase, where the scenario gave one.
 */
export interface RunSchedule {
  compressedPeriodMs: number;
  realPeriodMs: number;
  microbatchTriggerMs: number;
  cron?: string;
  tz?: string;
}

export interface RunSummary {
  schemaVersion: typeof summarySchemaVersion;
  runId: string;
  scenario: { name: string; question: string; dataset: string; quick: boolean };
  seed: number;
  startedAt: string;
  durationSec: number;
  environment: {
    servicesMode: string;
    kafka: { server: string; version: string; endpoint: string };
    s3: { server: string; version: string; endpoint: string };
    node: string;
    os: string;
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    clock: string;
    batchReadPath: 'httpfs' | 'staged' | 's3a';
    execution: Execution;
    /** The tiers' Node Kafka client (the generator's is always kafkajs). */
    kafkaClient: KafkaClientName;
    /** Seconds each tier was fed events: in isolated execution it may be shorter than the scenario's. */
    measuredSecPerTier: number;
    /** nice of the tier workers: 10 side by side (below the broker and the generator); absent or 0 alone. */
    tierWorkerNiceness?: number;
    services: {
      /** How long the Kafka broker had been up when measurement started (after warm-up). */
      uptimeSecAtStart: number;
      s3UptimeSecAtStart: number;
      warmup: WarmupSummary;
    };
    schedule: RunSchedule;
  };
  events: {
    produced: number;
    rejected: number;
    valid: number;
    ratePerSec: number;
    achievedRatePerSec: number;
    generatorLag: { p50Micros: number; p99Micros: number; maxMicros: number };
  };
  sla: { p99Micros: number };
  /** When the results are read; absent from runs before reads were modelled (read as continuous). */
  reads?: ReadsSummary;
  tiers: Partial<Record<TierName, TierSummary>>;
  processes: ProcessUsage[];
  cost: {
    priceSheet: string;
    eventsPerDay: number;
    /** Inputs kept so the cost can be projected again to another volume (`tierlab advise`). */
    eventBytes: number;
    peakToMeanRate: number;
    /** Each tier's $/year over the cheapest ok tier's. */
    ratios: Partial<Record<TierName, number>>;
    curve: CostCurvePoint[];
    assumptions: string[];
    /** Whether the Kafka tiers share one cluster or each has its own. */
    kafka: 'per-tier' | 'shared';
    variants: CostVariant[];
    /** Each assumption at half and at double, the largest swing of the cost ratios first. */
    sensitivity: SensitivityEntry[];
    breakEven: BreakEvenEntry[];
    warStory: WarStoryCheck;
  };
  /** One entry per repeat (--repeat N); a single run has one. */
  repeats: RepeatSummary[];
  /** Faults injected during the run (--fault), with each one's recovery. */
  faults?: FaultSummary[];
  /** A scenario with a `lakehouse` section: raw, curated and served zones of the same stream (src/results/lakehouse.ts). */
  lakehouse?: LakehouseSummary;
  recommendation: { tier: TierName | null; why: string };
}
