import { createKafkaClient } from '../kafka/client.ts';
import { readStoredState, type SettledWindow, type StoredWatermarks } from '../kafka/stored-state.ts';
import { committedOffsets } from '../kafka/topics.ts';
import { retryThroughOutage } from '../retry.ts';
import { closedThrough } from './lateness.ts';
import type { ResumableWindows } from './resumable-windows.ts';
import type { TierContext } from './types.ts';

export interface Restored extends StoredWatermarks {
  /** Windows put back. */
  windows: number;
  /** Result records read to find them. */
  records: number;
  ms: number;
  /** The group's committed offset of each partition, read before the results: the state holds every event before it. */
  committed: Map<number, number>;
}

/** What a tier's windows may be left out of a restore by (ResumableWindows.evict's rule, applied to what is stored). */
export interface RestorePolicy {
  /** The tier's consumer group: a new worker reads each partition again from the offset it committed. */
  groupId: string;
  allowedLatenessMs: number;
  /** The watermark that closes a window: the tier's one (micro-batch) or that of its source partition (streaming). */
  watermark: 'tier' | 'partition';
}

/**
 * A stored window the new worker need not take back: closed at the watermark stored (an event for
 * it would be late), and applied only through offsets the group has committed, so no event read
 * again reaches it. One applied past the committed offset is taken back, or the replay of the
 * events it holds would count them twice.
 */
export function settledWindow(windowMs: number, policy: RestorePolicy, committed: Map<number, number>): SettledWindow {
  return (stored, watermarks) => {
    const { partition, next } = stored.position;
    const watermark = policy.watermark === 'tier' ? watermarks.watermarkMicros : watermarks.partitionWatermarks.get(partition);
    if (watermark === undefined) return false;
    return stored.aggregate.windowStartMicros + windowMs * 1000 <= closedThrough(watermark, policy.allowedLatenessMs) && next <= (committed.get(partition) ?? 0);
  };
}

/**
 * Puts back the windows a previous worker of this tier wrote to its results topic, each with the
 * source offset it had been applied through, reading the topic to its current end, and leaving
 * out those that can no longer change (settledWindow). Called when a worker starts, before it
 * consumes: on a fresh run the topic is empty and this costs two round trips.
 *
 * Every window of the topic is restored, not only those of the partitions this worker will be
 * given: right for one worker process per tier, and for several consumers in one process (they
 * share the windows). Several worker processes in one group also restore a partition's windows
 * when the group hands them one another worker had (restorePartition).
 */
export async function restoreWindows(context: TierContext, clientId: string, windows: ResumableWindows, policy: RestorePolicy): Promise<Restored> {
  const started = context.clock.nowMicros();
  const kafka = createKafkaClient(context.kafka, { clientId: `${clientId}-restore` });
  const admin = kafka.admin();
  await admin.connect();
  // Read before the results: were a commit to land meanwhile, these are the older offsets, which can only keep more windows.
  // Retried: on a broker just started (or restarted by a fault) the group's coordinator may not be ready yet.
  const committed = await retryThroughOutage(() => committedOffsets(admin, policy.groupId, context.topics.events)).finally(() => admin.disconnect());
  const state = await readStoredState(kafka, context.topics.results, settledWindow(context.windowMs, policy, committed));
  for (const stored of state.windows) windows.restore(stored);
  const restored = {
    windows: state.windows.length,
    records: state.records,
    watermarkMicros: state.watermarkMicros,
    partitionWatermarks: state.partitionWatermarks,
    ms: (context.clock.nowMicros() - started) / 1000,
    committed,
  };
  if (restored.records > 0) {
    const { partitionWatermarks: _, committed: __, ...logged } = restored;
    context.logger.info({ topic: context.topics.results, ...logged }, 'restored window state from the results topic');
  }
  return restored;
}

/**
 * Fault injection for tests and workshops: once `visible` events have been made visible (the
 * write is acknowledged) and before their offsets are committed, the worker's own process is
 * killed with SIGKILL: a crash at the worst moment for at-least-once, with nothing flushed,
 * committed or closed. Only for a tier in a worker process of its own (workerTierRunner).
 */
export function killIfAsked(after: number | undefined, visible: number): void {
  if (after !== undefined && visible >= after) process.kill(process.pid, 'SIGKILL');
}

/**
 * A partition the group has just handed this worker, which another worker had: its windows as the
 * results topic holds them now, each put back where it is ahead of the one held here (a window
 * of that partition not in the topic is this worker's own, from before, and stays), with the
 * partition's watermark as stored. The rest of the state is left as it is. Several worker processes of one tier only (PartitionCoverage).
 */
export async function restorePartition(
  context: TierContext,
  clientId: string,
  windows: ResumableWindows,
  partition: number,
): Promise<{ windows: number; records: number; ms: number; partitionWatermarkMicros: number | undefined }> {
  const started = context.clock.nowMicros();
  const state = await readStoredState(createKafkaClient(context.kafka, { clientId: `${clientId}-takeover` }), context.topics.results);
  let restored = 0;
  for (const stored of state.windows) {
    if (stored.position.partition !== partition) continue;
    if (windows.restoreIfAhead(stored)) restored++;
  }
  return { windows: restored, records: state.records, ms: (context.clock.nowMicros() - started) / 1000, partitionWatermarkMicros: state.partitionWatermarks.get(partition) };
}
