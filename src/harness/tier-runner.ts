import { systemClock, type Clock } from '../events/index.ts';
import type { Logger } from '../log.ts';
import { encodeHistogram, newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import { TierLatency, type EncodedTierLatency } from '../metrics/latency.ts';
import { RollingLatency } from '../metrics/rolling-latency.ts';
import { createTier, type ResolvedTierOptions } from '../tiers/registry.ts';
import type { Tier, TierContext, TierFacts, TierHealth, TierName } from '../tiers/types.ts';

/** Everything needed to run one tier, as plain data, so it can be sent to a worker process. */
export interface TierSpec extends Omit<TierContext, 'clock' | 'logger' | 'onVisible' | 'restartProcess'> {
  name: TierName;
  tierOptions: ResolvedTierOptions;
}

/** When the measured stream runs, fixed once every tier has started so a slow start is never lag. */
export interface MeasureWindow {
  /** Events scheduled before this are warm-up, reported apart from the steady state. */
  warmupEndsMicros: number;
  /** Freshness is sampled, every second, from the end of warm-up until the generator stops. */
  generatorEndsMicros: number;
}

export interface TierRunnerResult {
  health: TierHealth;
  latency: EncodedTierLatency;
  /** Age of the newest visible result, sampled each second in the tier's own process (encoded). */
  freshness: string;
  facts: TierFacts;
}

/** A tier in this process or in a worker process: the harness cannot tell which. */
export interface TierRunner {
  readonly name: TierName;
  /** The process that runs it, for resource sampling. */
  readonly pid: number;
  /** `window`: a worker replacing a killed one measures from its first visible result, so it is told the window at start. */
  start(window?: MeasureWindow): Promise<void>;
  /** Called after start and before the first event: from here on, visible events are measured. */
  measure(window: MeasureWindow): Promise<void>;
  health(): TierHealth;
  stop(): Promise<TierRunnerResult>;
  /** What it has measured so far, without stopping (a worker reports it every second). */
  snapshot?(): TierRunnerResult;
  /** SIGKILL, as a crash or an orchestrator's kill would: nothing is flushed or committed. Worker runners only. */
  kill?(): Promise<void>;
  /** The last snapshot received, for a runner whose process can die (worker runners). */
  lastSnapshot?(): TierRunnerResult | undefined;
  /** From now on, health().visibleSince[since] tells when the first result at or after `since` (µs) became visible. */
  watchRecovery?(sinceMicros: number): void;
  /**
   * Settles with the reason when the runner's process ends without being asked to (a crash, an
   * OOM kill, a `kill -9` by hand); never settles for a kill or stop the harness asked for, nor for
   * a failure the tier reported itself. Worker runners only.
   */
  readonly unplannedExit?: Promise<string>;
}

/** Batches remembered so a watch set just after `since` still finds one made visible meanwhile: far more than arrive in an IPC round trip. */
const recentVisibleKept = 1_024;

export const idleHealth = (): TierHealth => ({
  state: 'idle',
  counts: { accepted: 0, rejected: 0, rejectedByReason: {} },
  visible: 0,
  usage: { kafkaBytesWritten: 0, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0 },
});

/** The context a tier gets from its spec: the same for running it and for reading its result back. */
export function tierContextOf(
  spec: TierSpec,
  logger: Logger,
  onVisible: TierContext['onVisible'],
  clock: Clock = systemClock,
  restartProcess?: TierContext['restartProcess'],
): TierContext {
  return {
    runId: spec.runId,
    kafka: spec.kafka,
    kafkaClient: spec.kafkaClient,
    s3: spec.s3,
    bucket: spec.bucket,
    engineCacheDir: spec.engineCacheDir,
    ...(spec.engineClusters ? { engineClusters: spec.engineClusters } : {}),
    topics: spec.topics,
    windowMs: spec.windowMs,
    rules: spec.rules,
    clock,
    logger,
    onVisible,
    ...(restartProcess ? { restartProcess } : {}),
    ...(spec.worker ? { worker: spec.worker } : {}),
  };
}

/** A tier's committed result, read back from its store by a fresh reader: the answer, not memory. */
export async function readCommittedResultOf(spec: TierSpec, logger: Logger) {
  const reader = await createTier(spec.name, tierContextOf(spec, logger, () => undefined), spec.tierOptions);
  return reader.readCommittedResult();
}

function recentLatencyOf(rolling: RollingLatency, nowMicros: number): { recentLatency?: NonNullable<TierHealth['recentLatency']> } {
  const recent = rolling.percentiles(nowMicros);
  return recent ? { recentLatency: recent } : {};
}

/** Runs the tier here, in this process (tests, and `--in-process`). */
export function localTierRunner(spec: TierSpec, logger: Logger, clock: Clock = systemClock, restartProcess?: TierContext['restartProcess']): TierRunner {
  let latency: TierLatency | undefined;
  let window: MeasureWindow | undefined;
  let tier: Tier | undefined;
  let latestLatencyMicros: number | undefined;
  let newestVisibleEventMicros: number | undefined;
  let firstVisibleMicros: number | undefined;
  const recentVisible: number[] = [];
  const rolling = new RollingLatency();
  const watched = new Set<number>();
  const visibleSince: Record<string, number> = {};
  // Sampled here, in the tier's process, so the age is not blurred by reporting to the harness.
  const freshness = newLatencyHistogram();
  const freshnessTimer = setInterval(() => {
    const now = clock.nowMicros();
    if (window && newestVisibleEventMicros !== undefined && now >= window.warmupEndsMicros && now <= window.generatorEndsMicros) {
      recordMicros(freshness, now - newestVisibleEventMicros);
    }
  }, 1_000);
  freshnessTimer.unref();
  const onVisible: TierContext['onVisible'] = (batch) => {
    if (!latency) throw new Error(`${spec.name} made events visible before the measured stream began`);
    latency.record(batch);
    firstVisibleMicros ??= batch.visibleMicros;
    recentVisible.push(batch.visibleMicros);
    if (recentVisible.length > recentVisibleKept) recentVisible.shift();
    for (const since of watched) {
      if (batch.visibleMicros < since) continue;
      visibleSince[since] = batch.visibleMicros;
      watched.delete(since);
    }
    const last = batch.events[batch.events.length - 1];
    if (last) latestLatencyMicros = batch.visibleMicros - last.eventTimeMicros;
    for (const event of batch.events) {
      rolling.record(batch.visibleMicros - event.eventTimeMicros, batch.visibleMicros);
      if (newestVisibleEventMicros === undefined || event.eventTimeMicros > newestVisibleEventMicros) newestVisibleEventMicros = event.eventTimeMicros;
    }
  };
  return {
    name: spec.name,
    pid: process.pid,
    async start(measured) {
      tier = await createTier(spec.name, tierContextOf(spec, logger, onVisible, clock, restartProcess), spec.tierOptions);
      if (measured) {
        window = measured;
        latency = new TierLatency(measured.warmupEndsMicros, tier.projection, measured.generatorEndsMicros);
      }
      await tier.start();
    },
    async measure(measured) {
      if (!tier) throw new Error(`${spec.name} was never started`);
      // Started with this window already (a replacement worker): what it measured since then stays.
      if (latency && window?.warmupEndsMicros === measured.warmupEndsMicros && window.generatorEndsMicros === measured.generatorEndsMicros) return;
      window = measured;
      // The tier declares how its latency projects to its real schedule; the harness never asks which tier it is.
      latency = new TierLatency(measured.warmupEndsMicros, tier.projection, measured.generatorEndsMicros);
    },
    health: () =>
      tier
        ? {
            ...tier.health(),
            ...(latestLatencyMicros !== undefined ? { latestLatencyMicros } : {}),
            ...(newestVisibleEventMicros !== undefined ? { newestVisibleEventMicros } : {}),
            ...recentLatencyOf(rolling, clock.nowMicros()),
            ...(firstVisibleMicros !== undefined ? { firstVisibleMicros } : {}),
            ...(Object.keys(visibleSince).length > 0 ? { visibleSince: { ...visibleSince } } : {}),
          }
        : idleHealth(),
    watchRecovery(sinceMicros) {
      // Batches may finish out of order (partitions handled concurrently): the earliest at or after `since` counts.
      const seen = recentVisible.filter((micros) => micros >= sinceMicros);
      if (seen.length > 0) visibleSince[sinceMicros] = Math.min(...seen);
      else watched.add(sinceMicros);
    },
    snapshot() {
      if (!tier || !latency) throw new Error(`${spec.name} is not measuring`);
      return { health: tier.health(), latency: latency.encode(), freshness: encodeHistogram(freshness), facts: tier.facts() };
    },
    async stop() {
      clearInterval(freshnessTimer);
      if (!tier || !latency) throw new Error(`${spec.name} was never started`);
      await tier.stop();
      return { health: tier.health(), latency: latency.encode(), freshness: encodeHistogram(freshness), facts: tier.facts() };
    },
  };
}
