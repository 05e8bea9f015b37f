import type { WindowAggregate } from '../events/index.ts';

/**
 * How far a window has been applied: every event of its source partition before `next` is in it,
 * none from `next` on. A window's events all come from one source partition, in offset order:
 * the generator keys each record by its entity (the event's key), Kafka's partitioner keeps a
 * key on one partition, and a window's key is its events' key.
 *
 * Offsets are held as numbers, not bigints, to keep the per-event step cheap: exact below 2^53,
 * which a partition does not reach (a million records a second for 285 years).
 */
export interface WindowPosition {
  /** The source partition of the window's events. */
  partition: number;
  /** The offset after the last event applied (what a consumer would commit). */
  next: number;
}

/** A window read back from a results topic, with how far it had been applied when it was written. */
export interface StoredWindow {
  aggregate: WindowAggregate;
  position: WindowPosition;
}

/** The header that carries a result's position, `partition:next`. */
export const throughHeader = 'tierlab-through';
/**
 * The header that carries the watermark (µs) lateness was judged against when a result was
 * written: micro-batch's, one for the tier, set by the trigger that wrote it; streaming's, that of
 * the window's source partition.
 */
export const watermarkHeader = 'tierlab-watermark-us';

/** Marks a record that packs many windows' results (see packed-results.ts). */
export const packedHeader = 'tierlab-packed';

/** True when a record at `position` is behind one already read for its window: applied through fewer events of the same partition. */
export function isBehind(position: WindowPosition | undefined, held: WindowPosition | undefined): boolean {
  return position !== undefined && held !== undefined && position.partition === held.partition && position.next < held.next;
}

export function parsePosition(header: string | undefined): WindowPosition | undefined {
  if (header === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(header);
  if (!match) return undefined;
  return { partition: Number(match[1]), next: Number(match[2]) };
}
