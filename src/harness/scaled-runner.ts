import { decodeHistogram, encodeHistogram, newLatencyHistogram } from '../metrics/histogram.ts';
import { TierLatency } from '../metrics/latency.ts';
import type { PartitionTakeover, TierHealth, TierState } from '../tiers/types.ts';
import type { Baseline, Restart, RestartableRunner } from './faults/restartable.ts';
import type { TierRunnerResult } from './tier-runner.ts';

/**
 * A tier run by several worker processes in one consumer group (`workers: N`), seen by the
 * harness as one runner. Its counts come from the partitions, not from adding the workers': a
 * record taken by one worker and again by the next after its partition moved would count twice.
 * What the tier has taken is, per source partition, the furthest offset any worker wrote through;
 * its rejected records are the distinct source offsets the workers dead-lettered.
 */
export interface ScaledRunner extends RestartableRunner {
  readonly workers: readonly RestartableRunner[];
  /** Replaces worker `index` (from 0; by default the one that last ended unplanned, else the first). */
  restart(now: () => number, baseline: () => Promise<Baseline>, index?: number): Promise<Restart>;
}

const stateOrder: TierState[] = ['errored', 'starting', 'idle', 'stopping', 'running', 'stopped'];

/** The workers' health as one tier's (see ScaledRunner). */
export function combinedHealth(parts: TierHealth[]): TierHealth {
  const through = new Map<string, number>();
  const rejected = new Map<string, Set<number>>();
  const byReason: Record<string, number> = {};
  const visibleSince: Record<string, number> = {};
  const takeovers: PartitionTakeover[] = [];
  let duplicatesSkipped = 0;
  for (const part of parts) {
    for (const [partition, next] of Object.entries(part.partitionsThrough ?? {})) through.set(partition, Math.max(through.get(partition) ?? 0, next));
    for (const [partition, offsets] of Object.entries(part.rejectedSources ?? {})) {
      const seen = rejected.get(partition) ?? rejected.set(partition, new Set()).get(partition)!;
      for (const offset of offsets) seen.add(offset);
    }
    for (const [reason, count] of Object.entries(part.counts.rejectedByReason)) byReason[reason] = (byReason[reason] ?? 0) + count;
    for (const [since, micros] of Object.entries(part.visibleSince ?? {})) visibleSince[since] = Math.min(visibleSince[since] ?? Infinity, micros);
    takeovers.push(...(part.takeovers ?? []));
    duplicatesSkipped += part.counts.duplicatesSkipped ?? 0;
  }
  const taken = [...through.values()].reduce((sum, next) => sum + next, 0);
  const rejectedCount = [...rejected.values()].reduce((sum, set) => sum + set.size, 0);
  const accepted = taken - rejectedCount;
  const errored = parts.filter((part) => part.state === 'errored');
  const state = stateOrder.find((candidate) => parts.some((part) => part.state === candidate)) ?? 'idle';
  const newest = maxBy(parts, (part) => part.newestVisibleEventMicros);
  const slowest = maxBy(parts, (part) => part.recentLatency?.p99Micros);
  const firstVisible = Math.min(...parts.map((part) => part.firstVisibleMicros ?? Infinity));
  return {
    state,
    ...(errored.length > 0 ? { error: errored.map((part) => part.error).join('; ') } : {}),
    counts: { accepted, rejected: rejectedCount, rejectedByReason: byReason, ...(duplicatesSkipped > 0 ? { duplicatesSkipped } : {}) },
    // Each worker counts a record through only once its result is written: everything taken is visible.
    visible: accepted,
    usage: {
      kafkaBytesWritten: sum(parts, (part) => part.usage.kafkaBytesWritten),
      s3Requests: {
        put: sum(parts, (part) => part.usage.s3Requests.put),
        get: sum(parts, (part) => part.usage.s3Requests.get),
        list: sum(parts, (part) => part.usage.s3Requests.list),
      },
      s3BytesWritten: sum(parts, (part) => part.usage.s3BytesWritten),
    },
    ...(newest?.latestLatencyMicros !== undefined ? { latestLatencyMicros: newest.latestLatencyMicros } : {}),
    ...(newest?.newestVisibleEventMicros !== undefined ? { newestVisibleEventMicros: newest.newestVisibleEventMicros } : {}),
    // The live view shows the slowest worker's last 10 s: a tier is as fresh as its slowest partition.
    ...(slowest?.recentLatency ? { recentLatency: slowest.recentLatency } : {}),
    ...(Number.isFinite(firstVisible) ? { firstVisibleMicros: firstVisible } : {}),
    ...(Object.keys(visibleSince).length > 0 ? { visibleSince } : {}),
    partitionsThrough: Object.fromEntries(through),
    rejectedSources: Object.fromEntries([...rejected].map(([partition, offsets]) => [partition, [...offsets]])),
    takeovers,
  };
}

/** The workers' results as one tier's: latency histograms merged, health combined, facts of the first with the takeovers added. */
export function combinedResult(results: TierRunnerResult[]): TierRunnerResult {
  const latency = new TierLatency(0);
  const freshness = newLatencyHistogram();
  for (const result of results) {
    latency.merge(result.latency);
    freshness.add(decodeHistogram(result.freshness));
  }
  const health = combinedHealth(results.map((result) => result.health));
  const restoredWindows = sum(results, (result) => result.facts.restoredWindows ?? 0);
  return {
    health,
    latency: latency.encode(),
    freshness: encodeHistogram(freshness),
    facts: { ...results[0]!.facts, restoredWindows, workers: results.length, partitionTakeovers: health.takeovers?.length ?? 0 },
  };
}

/**
 * From a worker's kill until every partition that changed hands after it had a result visible
 * from its new owner: the rebalance pause (the group waits out the dead member's session, then
 * the new owners restore each partition's windows). Undefined while one has none yet.
 */
export function rebalancePauseMicros(takeovers: PartitionTakeover[], killedAtMicros: number): number | undefined {
  const after = takeovers.filter((takeover) => takeover.atMicros >= killedAtMicros);
  if (after.length === 0 || after.some((takeover) => takeover.firstVisibleMicros === undefined)) return undefined;
  return Math.max(...after.map((takeover) => takeover.firstVisibleMicros!)) - killedAtMicros;
}

export function scaledRunner(workers: RestartableRunner[]): ScaledRunner {
  let lastExited: number | undefined;
  const runner: ScaledRunner = {
    workers,
    get name() {
      return workers[0]!.name;
    },
    get pid() {
      return workers[0]!.pid;
    },
    async start() {
      await Promise.all(workers.map((worker) => worker.start()));
    },
    async measure(window) {
      await Promise.all(workers.map((worker) => worker.measure(window)));
    },
    health: () => combinedHealth(workers.map((worker) => worker.health())),
    watchRecovery(sinceMicros) {
      for (const worker of workers) worker.watchRecovery?.(sinceMicros);
    },
    lastSnapshot() {
      const snapshots = workers.map((worker) => worker.lastSnapshot?.());
      return snapshots.every((snapshot) => snapshot !== undefined) ? combinedResult(snapshots as TierRunnerResult[]) : undefined;
    },
    onUnplannedExit(listener) {
      workers.forEach((worker, index) =>
        worker.onUnplannedExit((reason) => {
          lastExited = index;
          listener(`worker ${index + 1} of ${workers.length}: ${reason}`);
        }),
      );
    },
    async restart(now, _baseline, index = lastExited ?? 0) {
      const worker = workers[index];
      if (!worker) throw new RangeError(`${runner.name} has ${workers.length} workers; there is no worker ${index + 1}`);
      // Its counts come from the partitions (combinedHealth), so the replacement starts from none.
      const restart = await worker.restart(now, async () => ({ accepted: 0, rejected: 0 }));
      return {
        killedAtMicros: restart.killedAtMicros,
        recoveryMicros: () => rebalancePauseMicros(runner.health().takeovers ?? [], restart.killedAtMicros) ?? restart.recoveryMicros(),
      };
    },
    async stop() {
      // Every worker is asked to stop, whatever another's answer; one that could not fails the tier's stop.
      const settled = await Promise.allSettled(workers.map((worker) => worker.stop()));
      const failed = settled.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
      return combinedResult(settled.map((outcome) => (outcome as PromiseFulfilledResult<TierRunnerResult>).value));
    },
  };
  return runner;
}

function sum<T>(items: T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}

function maxBy<T>(items: T[], of: (item: T) => number | undefined): T | undefined {
  let best: T | undefined;
  let bestValue = -Infinity;
  for (const item of items) {
    const value = of(item);
    if (value !== undefined && value > bestValue) {
      best = item;
      bestValue = value;
    }
  }
  return best;
}
