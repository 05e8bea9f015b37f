import { createKafkaClient } from '../kafka/client.ts';
import { readStoredState } from '../kafka/results.ts';
import { retryRetriable } from '../retry.ts';
import type { ResumableWindows } from './resumable-windows.ts';
import type { TierContext } from './types.ts';

export interface Restored {
  /** Windows put back. */
  windows: number;
  /** Result records read to find them. */
  records: number;
  /** The newest micro-batch watermark stored with them, µs; undefined when none is. */
  watermarkMicros: number | undefined;
  ms: number;
}

/**
 * Puts back the windows a previous worker of this tier wrote to its results topic, each with the
 * source offset it had been applied through, reading the topic to its current end. Called when a
 * worker starts, before it consumes: on a fresh run the topic is empty and this costs one
 * metadata round trip.
 *
 * Every window of the topic is restored, not only those of the partitions this worker will be
 * given: right for one worker process per tier, and for several consumers in one process (they
 * share the windows). Several worker processes in one group also restore a partition's windows
 * when the group hands them one another worker had (restorePartition).
 */
export async function restoreWindows(context: TierContext, clientId: string, windows: ResumableWindows): Promise<Restored> {
  const started = context.clock.nowMicros();
  const state = await readStoredState(createKafkaClient(context.kafka, { clientId: `${clientId}-restore` }), context.topics.results);
  for (const stored of state.windows) windows.restore(stored);
  const restored = { windows: state.windows.length, records: state.records, watermarkMicros: state.watermarkMicros, ms: (context.clock.nowMicros() - started) / 1000 };
  if (restored.windows > 0) context.logger.info({ topic: context.topics.results, ...restored }, 'restored window state from the results topic');
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
 * of that partition not in the topic is this worker's own, from before, and stays). The rest of
 * the state is left as it is. Several worker processes of one tier only (PartitionCoverage).
 */
export async function restorePartition(context: TierContext, clientId: string, windows: ResumableWindows, partition: number): Promise<Restored> {
  const started = context.clock.nowMicros();
  const state = await readStoredState(createKafkaClient(context.kafka, { clientId: `${clientId}-takeover` }), context.topics.results);
  let restored = 0;
  for (const stored of state.windows) {
    if (stored.position.partition !== partition) continue;
    if (windows.restoreIfAhead(stored)) restored++;
  }
  return { windows: restored, records: state.records, watermarkMicros: state.watermarkMicros, ms: (context.clock.nowMicros() - started) / 1000 };
}

/** The group's committed offset of each partition of the tier's source: what a restored state holds every event before. */
export async function committedOffsets(context: TierContext, clientId: string, groupId: string): Promise<Map<number, number>> {
  const admin = createKafkaClient(context.kafka, { clientId: `${clientId}-offsets` }).admin();
  await admin.connect();
  try {
    // A new group's coordinator may still be loading ("not the correct coordinator"): the client marks that retriable.
    const [topic] = await retryRetriable(() => admin.fetchOffsets({ groupId, topics: [context.topics.events] }));
    return new Map((topic?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  } finally {
    await admin.disconnect();
  }
}
