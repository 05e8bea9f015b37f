import type { Logger } from '../log.ts';
import type { KafkaEndpoint, S3Endpoint } from '../services/types.ts';
import type { KafkaClientName } from '../kafka/driver/types.ts';
import type { Clock, DatasetRule, WindowAggregate } from '../events/index.ts';
import type { Guarantee } from './guarantee.ts';
import type { TierEngine } from './engine.ts';
import type { EngineClusters } from '../services/engine-clusters.ts';

/** The tiers, simplest first: the recommendation's tie-break takes this order (src/results/recommend.ts). */
export const tierNames = ['batch', 'microbatch', 'streaming'] as const;
export type TierName = (typeof tierNames)[number];

/** What a tier knows of one event it made visible; all times in µs on the shared clock. */
export interface VisibleEvent {
  seq: number;
  /** When the generator was scheduled to emit it (open loop). */
  eventTimeMicros: number;
  /** When the generator handed it to the producer. */
  sentMicros: number;
  /** When the tier (for batch: the lake sink) read it from Kafka. */
  readMicros: number;
  /** Lake tiers only (batch, micro-batch on the lake): when its raw object's PUT was acknowledged, i.e. when it landed in the lake. */
  landedMicros?: number;
}

/**
 * One durable write and the events it made visible. The stages give the latency breakdown:
 * wait = processingStart - read, processing = writeStart - processingStart,
 * publish = visible - writeStart.
 */
export interface VisibilityBatch {
  tier: TierName;
  processingStartMicros: number;
  writeStartMicros: number;
  /** When the store acknowledged the write (Kafka acks=all, or the S3 PUT response). */
  visibleMicros: number;
  events: VisibleEvent[];
}

export interface TierCounts {
  /** Valid events read and counted into the result. */
  accepted: number;
  /** Events sent to the dead-letter topic, by reason. */
  rejected: number;
  rejectedByReason: Record<string, number>;
  /**
   * Of `accepted`, events a restarted worker read again and found already in the windows it
   * restored (applied before the crash): not applied twice, and counted as accepted and visible,
   * since their result is. Absent when there were none.
   */
  duplicatesSkipped?: number;
}

export type TierState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'errored';

/** What a tier asked of the stores, for the cost model. */
export interface TierUsage {
  kafkaBytesWritten: number;
  s3Requests: { put: number; get: number; list: number };
  s3BytesWritten: number;
}

export interface TierHealth {
  state: TierState;
  error?: string;
  counts: TierCounts;
  /** Events made visible so far. */
  visible: number;
  usage: TierUsage;
  /** Latency of the most recently visible event, µs: what the progress display shows. */
  latestLatencyMicros?: number;
  /** Event time of the newest event visible so far, µs: its age is the result's freshness. */
  newestVisibleEventMicros?: number;
  /** Latency of what became visible in the last 10 s (1% precision): the live demo's rolling view. */
  recentLatency?: { count: number; p50Micros: number; p99Micros: number };
  /** When this process first made an event visible, µs: a restarted worker's recovery ends there. */
  firstVisibleMicros?: number;
  /**
   * For each time the harness asked about (`watchRecovery`, µs as the key): when the first result
   * at or after it became visible. A service fault's recovery ends there.
   */
  visibleSince?: Record<string, number>;
  /**
   * One of several worker processes (TierContext.worker): per source partition, the offset after
   * the last record whose result or dead letter it wrote. The harness takes the furthest of each
   * partition over the workers: what the tier has taken, however often partitions moved.
   */
  partitionsThrough?: Record<string, number>;
  /** One of several worker processes: the source offsets it dead-lettered, per partition, so a record rejected again after a move counts once. */
  rejectedSources?: Record<string, number[]>;
  /** One of several worker processes: each partition the group handed it after another worker had it, and what taking it over cost. */
  takeovers?: PartitionTakeover[];
}

/** A partition a worker was handed after another had it (a rebalance): its windows restored from the results topic first. */
export interface PartitionTakeover {
  partition: number;
  /** When the batch that showed it arrived, µs. */
  atMicros: number;
  /** How long restoring the partition's windows took. */
  restoreMs: number;
  /** When this worker first made one of the partition's results visible after it; absent until then. */
  firstVisibleMicros?: number;
}

export interface TierTopics {
  events: string;
  /** Streaming and micro-batch publish their window results here. */
  results: string;
  deadLetter: string;
}

/** Everything a tier is given; it reaches for nothing else (no env, no globals). */
export interface TierContext {
  runId: string;
  kafka: KafkaEndpoint;
  /** The Node client of the tier's data path (issue 9); results are read back with kafkajs either way. */
  kafkaClient: KafkaClientName;
  s3: S3Endpoint;
  /** Where built engines are kept (a JVM engine's jars, src/tiers/jvm/build.ts), in tierlab's cache. */
  engineCacheDir: string;
  /**
   * Present only in a tier worker of its own: ends this process, saying why, so that the harness
   * replaces the worker as it replaces a crashed one (the new one restores what was committed and
   * goes on from the committed offsets). For a tier whose state no longer matches what is
   * committed: exactly-once after a transaction failed.
   */
  restartProcess?: (reason: string) => never;
  /** Which of the tier's worker processes this is (from 0), of how many, where there are several (`workers: N`). */
  worker?: { index: number; of: number };
  /** Engine clusters that already run (FLINK_REST_URL): a JVM engine submits its job there. */
  engineClusters?: EngineClusters;
  /** The tier's own lake bucket (bucketFor): raw zone under raw/, its job's output under curated/. */
  bucket: string;
  topics: TierTopics;
  windowMs: number;
  rules: DatasetRule[];
  clock: Clock;
  logger: Logger;
  /** Called once per durable write with the events it made visible. */
  onVisible: (batch: VisibilityBatch) => void;
}

/** How a tier's latency under its real schedule follows from the lab's compressed one (batch). */
export interface LatencyProjection {
  compressedPeriodMs: number;
  realPeriodMs: number;
}

/** What a tier tells about its own run, for the report; each says only what applies to it. */
export interface TierFacts {
  /** Which implementation ran the tier and its version: every tier reports its own (summary.json tiers.NAME.engine). */
  engine?: TierEngine;
  /** How a lake was read: DuckDB's httpfs, objects staged through the S3 client, or Spark's S3A. */
  readPath?: 'httpfs' | 'staged' | 's3a';
  /** Scheduled jobs run, and their seconds summed. */
  jobRuns?: number;
  jobSeconds?: number;
  /** Windows a streaming or micro-batch worker restored from its results topic when it started, and how long that took. */
  restoredWindows?: number;
  restoreMs?: number;
  /** Worker processes in the tier's group (`workers: N`), where more than one. */
  workers?: number;
  /** Partitions a worker took over from another after a rebalance, its windows restored first (several workers only). */
  partitionTakeovers?: number;
  /** Windows a streaming or micro-batch worker holds now, and those it has forgotten once closed (lateness.ts). */
  heldWindows?: number;
  evictedWindows?: number;
  /** What a tier that offers a choice promised after a crash. */
  guarantee?: Guarantee;
}

/** The one interface the harness drives; it never knows which tier it holds. */
export interface Tier {
  readonly name: TierName;
  /** Declared by a tier whose lab schedule is compressed, so the harness can project it without knowing which. */
  readonly projection?: LatencyProjection;
  facts(): TierFacts;
  start(): Promise<void>;
  /** Stops consuming after what has been read is made visible (drain), then lets go. */
  stop(): Promise<void>;
  health(): TierHealth;
  /** The tier's final committed result, read back from its store, not from memory. */
  readCommittedResult(): Promise<WindowAggregate[]>;
}

export type TierFactory<O> = (context: TierContext, options: O) => Tier;
