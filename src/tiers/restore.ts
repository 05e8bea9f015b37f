import { createKafkaClient } from '../kafka/client.ts';
import { readStoredState } from '../kafka/results.ts';
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
 * given: right for one worker process per tier (the lab's case), and for several consumers in one
 * process (they share the windows). Several worker processes in one group would also have to
 * restore a partition's windows each time the group hands them that partition.
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
