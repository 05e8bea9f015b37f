import type { DatasetProfile, OpenLoopProgress, OpenLoopReport, RateShape } from '../../events/index.ts';
import type { WarmupSummary } from '../../results/summary.ts';

/** One measured stream: the same plan always gives the same events at the same offsets from its start. */
export interface StreamPlan {
  profile: DatasetProfile;
  seed: number;
  rate: RateShape;
  /** The first event's scheduled time, µs on the shared clock. */
  startMicros: number;
  durationMs: number;
  windowMs: number;
  topic: string;
  partitions: number;
}

export interface GeneratedStream {
  report: OpenLoopReport;
  /** Key + value bytes sent, for the cost model's bytes per event. */
  bytesSent: number;
}

/** A warm-up load on a scratch topic, stepped until produce latency stops improving. */
export interface WarmupPlan {
  profile: DatasetProfile;
  topic: string;
  partitions: number;
  ratePerSec: number;
  stepMs: number;
  /** At least this many steps, so one lucky step does not end it. */
  minSteps: number;
  /** The time bound: warm-up ends here whether or not it converged. */
  maxMs: number;
}

export type KafkaWarmup = Omit<WarmupSummary, 's3Requests' | 'done'>;

/**
 * What sends the events: a process of its own in a lab run, so the harness's own work (progress,
 * /proc sampling, histogram merges) and its GC never delay the schedule; in-process for tests.
 */
export interface StreamGenerator {
  /** The process that sends, for resource sampling. */
  readonly pid: number;
  warmup(plan: WarmupPlan): Promise<KafkaWarmup>;
  generate(plan: StreamPlan, onProgress?: (progress: OpenLoopProgress) => void): Promise<GeneratedStream>;
  close(): Promise<void>;
}
