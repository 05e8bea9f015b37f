import { systemClock } from '../events/index.ts';
import type { Logger } from '../log.ts';
import { encodeHistogram, newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import { TierLatency, type EncodedTierLatency } from '../metrics/latency.ts';
import { createTier, type TierOptions } from '../tiers/registry.ts';
import type { Tier, TierContext, TierHealth, TierName } from '../tiers/types.ts';

/** Everything needed to run one tier, as plain data, so it can be sent to a worker process. */
export interface TierSpec extends Omit<TierContext, 'clock' | 'logger' | 'onVisible'> {
  name: TierName;
  tierOptions: TierOptions;
  warmupEndsMicros: number;
  /** Freshness is sampled, every second, from the end of warm-up until the generator stops. */
  generatorEndsMicros: number;
  projection?: { compressedPeriodMs: number; realPeriodMs: number };
}

export interface BatchFacts {
  readPath: 'httpfs' | 'staged';
  jobRuns: number;
  jobSeconds: number;
}

export interface TierRunnerResult {
  health: TierHealth;
  latency: EncodedTierLatency;
  /** Age of the newest visible result, sampled each second in the tier's own process (encoded). */
  freshness: string;
  batch?: BatchFacts;
}

/** A tier in this process or in a worker process: the harness cannot tell which. */
export interface TierRunner {
  readonly name: TierName;
  /** The process that runs it, for resource sampling. */
  readonly pid: number;
  start(): Promise<void>;
  health(): TierHealth;
  stop(): Promise<TierRunnerResult>;
}

export function batchFactsOf(tier: Tier): BatchFacts | undefined {
  const batch = tier as Partial<{ readPath: () => 'httpfs' | 'staged' | undefined; runs: () => Array<{ startedMicros: number; finishedMicros: number }> }>;
  if (!batch.readPath || !batch.runs) return undefined;
  const runs = batch.runs();
  return {
    readPath: batch.readPath() ?? 'staged',
    jobRuns: runs.length,
    jobSeconds: runs.reduce((sum, run) => sum + (run.finishedMicros - run.startedMicros) / 1e6, 0),
  };
}

/** The context a tier gets from its spec: the same for running it and for reading its result back. */
export function tierContextOf(spec: TierSpec, logger: Logger, onVisible: TierContext['onVisible']): TierContext {
  return {
    runId: spec.runId,
    kafka: spec.kafka,
    s3: spec.s3,
    bucket: spec.bucket,
    topics: spec.topics,
    windowMs: spec.windowMs,
    rules: spec.rules,
    clock: systemClock,
    logger,
    onVisible,
  };
}

/** Runs the tier here, in this process (tests, and `--in-process`). */
export function localTierRunner(spec: TierSpec, logger: Logger): TierRunner {
  const latency = new TierLatency(spec.warmupEndsMicros, spec.projection);
  let latestLatencyMicros: number | undefined;
  let newestVisibleEventMicros: number | undefined;
  // Sampled here, in the tier's process, so the age is not blurred by reporting to the harness.
  const freshness = newLatencyHistogram();
  const freshnessTimer = setInterval(() => {
    const now = systemClock.nowMicros();
    if (newestVisibleEventMicros !== undefined && now >= spec.warmupEndsMicros && now <= spec.generatorEndsMicros) {
      recordMicros(freshness, now - newestVisibleEventMicros);
    }
  }, 1_000);
  freshnessTimer.unref();
  const tier = createTier(
    spec.name,
    tierContextOf(spec, logger, (batch) => {
      latency.record(batch);
      const last = batch.events[batch.events.length - 1];
      if (last) latestLatencyMicros = batch.visibleMicros - last.eventTimeMicros;
      for (const event of batch.events) {
        if (newestVisibleEventMicros === undefined || event.eventTimeMicros > newestVisibleEventMicros) newestVisibleEventMicros = event.eventTimeMicros;
      }
    }),
    spec.tierOptions,
  );
  return {
    name: spec.name,
    pid: process.pid,
    start: () => tier.start(),
    health: () => ({
      ...tier.health(),
      ...(latestLatencyMicros !== undefined ? { latestLatencyMicros } : {}),
      ...(newestVisibleEventMicros !== undefined ? { newestVisibleEventMicros } : {}),
    }),
    async stop() {
      clearInterval(freshnessTimer);
      await tier.stop();
      const batch = batchFactsOf(tier);
      return { health: tier.health(), latency: latency.encode(), freshness: encodeHistogram(freshness), ...(batch ? { batch } : {}) };
    },
  };
}
