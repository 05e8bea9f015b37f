import type { MachineEnvironment } from '../services/machine.ts';

/**
 * results/<run-id>/floor.json, from `tierlab floor`: docs/outputs.md. Row names (src/floor/types.ts
 * lists them) and the fields below are the contract; add fields freely, rename none without a new
 * version.
 */
export const floorSchemaVersion = 1;

/** Triggers a tier that holds events runs before its measured span in the floor (src/floor/tier-rows.ts), so no cold trigger is its p99. */
export const floorWarmupTriggers = 3;

export interface FloorRow {
  /** One of the floor's row names (allFloorRowNames in src/floor/types.ts): checked when floor.json is read. */
  name: string;
  /** What the row measures, in a few words, and how it differs from the others (loop, resolution). */
  what: string;
  /** closed: one record at a time (Kafka's EndToEndLatency); open: on a schedule at the offered rate. */
  loop: 'open' | 'closed' | 'none';
  /** The unit the row's own tool reports in; Kafka's tools round to whole milliseconds. */
  resolution: 'µs' | 'ms';
  count: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
  /** Absent where the tool does not report it (Kafka's EndToEndLatency). */
  maxMicros?: number;
  /** CPU of the client's process(es) per event, µs; absent where it was not measured. */
  cpuMicrosPerEvent?: number;
  /** The broker's CPU per event while the row ran, µs (native services only). */
  brokerCpuMicrosPerEvent?: number;
  /** This row's p99 over kafka-e2e's for the Kafka rows; a tier's own rows set theirs against their own reference (batch-job: p50 over duckdb-local's). */
  ratioToFloor?: number;
  /** Micro-batch: what a trigger adds beyond waiting for it (processing + publish), p99. */
  overheadP99Micros?: number;
  /**
   * Micro-batch: about how many triggers made the measured span's events visible (its length over
   * the trigger interval, rounded up; one more where a trigger falls at each end): the few samples
   * overheadP99Micros is taken over, so that with five or six it is the worst of them.
   */
  triggers?: number;
  /** A tier row warmed up for longer than the floor's warm-up (several of its triggers, src/floor/tier-rows.ts): how long, in s. */
  warmupSec?: number;
  /**
   * batch-job: where its wall time goes, each part's p50 over the measured runs (they need not add
   * up to p50Micros): LIST of the raw zone, GETs from S3, the aggregate query, the PUT of the
   * curated Parquet, and the lab's scan of the new rows for their visibility times (after the last
   * PUT, outside p50Micros).
   */
  breakdownMicros?: FloorBreakdown;
  /** Set when the row could not be measured: why. */
  error?: string;
}

/** The batch job's parts (pipelines/batch/job-phases.ts), in µs. */
export interface FloorBreakdown {
  list: number;
  get: number;
  query: number;
  scan: number;
  put: number;
}

export interface FloorResult {
  schemaVersion: typeof floorSchemaVersion;
  runId: string;
  startedAt: string;
  /** The offered rate of the open-loop rows, events/s. */
  rate: number;
  durationSec: number;
  /** Record size of Kafka's tools; the tierlab rows carry the dataset's events (their mean size here). */
  recordBytes: number;
  eventBytes: number;
  environment: MachineEnvironment;
  rows: FloorRow[];
}
