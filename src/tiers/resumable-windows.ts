import { TierlabError } from '../errors.ts';
import { WindowAggregator, compareByKeyAndWindow, windowStartOf, type DatasetRule, type LabEvent, type WindowAggregate } from '../events/index.ts';
import type { StoredWindow, WindowPosition } from '../kafka/results.ts';

export type { StoredWindow, WindowPosition };

/**
 * A tier's window state that a new worker can take over from a dead one, at least once with
 * idempotent results. Each result record carries its window's position; a new worker restores
 * the windows with their positions from the results topic, then re-reads the source from the
 * group's committed offsets (which lag what was written: results are written before offsets are
 * committed). An event re-read at an offset its window has already passed was applied before the
 * crash and is skipped; any other is applied and moves the window's position past it. Each
 * window is written whole with its own position, so a write that only partly landed leaves every
 * window consistent with its position.
 */
/**
 * A window held for a tier, beside its position (the position's fields sit on the same object, so
 * it can be passed wherever a position is wanted). `partition` and `next` change as events are applied.
 */
export interface HeldWindow extends WindowPosition {
  readonly window: WindowAggregate;
}

export class ResumableWindows {
  /** The aggregation itself, shared with the ground truth; it counts (`events`) but does not hold these windows. */
  readonly aggregator: WindowAggregator;
  /** Each window beside its position, by window start and key: one lookup per event finds both. */
  readonly #held = new WindowIndex<HeldWindow>();
  /** The same windows by source partition and window start, so `evict` visits only the windows that have closed. */
  readonly #byStart = new Map<number, Map<number, Set<HeldWindow>>>();
  readonly #windowMs: number;
  /** Events met again after a restore, already in their windows, and not applied twice. */
  duplicatesSkipped = 0;
  /** Windows put back by `restore`. */
  restored = 0;
  /** Windows forgotten by `evict`: closed, and out of reach of any event read again. */
  evicted = 0;

  constructor(windowMs: number, rules: DatasetRule[]) {
    this.aggregator = new WindowAggregator(windowMs, rules);
    this.#windowMs = windowMs;
  }

  /**
   * Puts back a stored window with its position; a later one for the same window replaces it.
   * Its events do not count as added (`aggregator.events`).
   */
  restore(stored: StoredWindow): HeldWindow {
    const held: HeldWindow = { window: this.aggregator.restoredWindow(stored.aggregate), partition: stored.position.partition, next: stored.position.next };
    const { key, windowStartMicros } = stored.aggregate;
    const before = this.#held.get(windowStartMicros, key);
    if (before) this.#bucketOf(before).delete(before);
    this.#held.set(windowStartMicros, key, held);
    this.#bucketOf(held).add(held);
    this.restored++;
    return held;
  }

  /**
   * Puts back a stored window where it is ahead of the one held (or none is held): a partition
   * taken over from another worker. True when it was put back.
   */
  restoreIfAhead(stored: StoredWindow): boolean {
    const held = this.#held.get(stored.aggregate.windowStartMicros, stored.aggregate.key);
    if (held && held.partition === stored.position.partition && held.next >= stored.position.next) return false;
    this.restore(stored);
    return true;
  }

  /** The event's window with its position, if it has one yet (restored or applied). */
  find(event: LabEvent): HeldWindow | undefined {
    return this.#held.get(windowStartOf(event.eventTimeMicros, this.#windowMs), event.key);
  }

  /**
   * True when `held` already holds the event read at (partition, offset): it was applied before a
   * restart. Counted in `duplicatesSkipped`. A window fed from two partitions breaks the rule the
   * skip relies on, and throws rather than guess.
   */
  holds(held: HeldWindow | undefined, partition: number, offset: number): boolean {
    if (held === undefined) return false;
    if (held.partition !== partition) {
      const { key, windowStartMicros } = held.window;
      throw new TierlabError(
        'TIER_FAILED',
        `window ${key}|${windowStartMicros} has events from partitions ${held.partition} and ${partition}: ` +
          'the events topic must be keyed by the event key, or a restarted worker cannot tell which events its windows hold',
        { details: { key, windowStartMicros, partitions: [held.partition, partition] } },
      );
    }
    if (offset >= held.next) return false;
    this.duplicatesSkipped++;
    return true;
  }

  /** Counts the event into `held` (from `find`; undefined creates the window) and moves its position past the offset. */
  apply(held: HeldWindow | undefined, event: LabEvent, partition: number, offset: number): HeldWindow {
    if (held === undefined) {
      const windowStartMicros = windowStartOf(event.eventTimeMicros, this.#windowMs);
      const window = this.aggregator.emptyWindow(event.key, windowStartMicros);
      this.aggregator.addTo(window, event);
      const created: HeldWindow = { window, partition, next: offset + 1 };
      this.#held.set(windowStartMicros, event.key, created);
      this.#bucketOf(created).add(created);
      return created;
    }
    this.aggregator.addTo(held.window, event);
    held.next = offset + 1;
    return held;
  }

  /** Applies the event unless its window already holds it: the window held, updated, or undefined when skipped. */
  add(event: LabEvent, partition: number, offset: number): HeldWindow | undefined {
    const held = this.find(event);
    return this.holds(held, partition, offset) ? undefined : this.apply(held, event, partition, offset);
  }

  /**
   * Forgets the windows of source `partition` that can no longer change and that no event read
   * again can reach: those that ended at or before `closedThroughMicros` (an event for them is
   * late, see lateness.ts) and whose position is at or below `readFrom`, the lowest offset of the
   * partition that may still be read (this worker drops what it re-reads below the offsets it has
   * taken in; a new worker starts at the group's committed offsets). A window a restart may still
   * replay events into keeps its position until the replay has passed it. Returns how many went.
   */
  evict(partition: number, closedThroughMicros: number, readFrom: number): number {
    const starts = this.#byStart.get(partition);
    if (!starts) return 0;
    const windowMicros = this.#windowMs * 1000;
    let evicted = 0;
    for (const [start, bucket] of starts) {
      if (start + windowMicros > closedThroughMicros) continue;
      for (const held of bucket) {
        if (held.next > readFrom) continue;
        bucket.delete(held);
        this.#held.delete(start, held.window.key);
        evicted++;
      }
      if (bucket.size === 0) starts.delete(start);
    }
    if (starts.size === 0) this.#byStart.delete(partition);
    this.evicted += evicted;
    return evicted;
  }

  /** The source partitions of the windows held. */
  partitions(): number[] {
    return [...this.#byStart.keys()];
  }

  /** Windows held, restored or applied, and not evicted. */
  get size(): number {
    return this.#held.size;
  }

  #bucketOf(held: HeldWindow): Set<HeldWindow> {
    const starts = this.#byStart.get(held.partition) ?? this.#byStart.set(held.partition, new Map()).get(held.partition)!;
    const start = held.window.windowStartMicros;
    return starts.get(start) ?? starts.set(start, new Set()).get(start)!;
  }

  /** Every window held, copied, in key and window order (as WindowAggregator.result); evicted ones are in the results topic only. */
  result(): WindowAggregate[] {
    return [...this.#held.all()].map(({ window }) => ({ ...window, flags: { ...window.flags } })).sort(compareByKeyAndWindow);
  }
}

/**
 * Values by window start, then key: an event's lookup takes the key string as decoded, where one
 * map by `key|start` built a new string to hash for every event (5% of the streaming worker's
 * profile at 10,000 events/s; 3% this way).
 */
class WindowIndex<T> {
  readonly #byStart = new Map<number, Map<string, T>>();
  size = 0;

  get(start: number, key: string): T | undefined {
    return this.#byStart.get(start)?.get(key);
  }

  set(start: number, key: string, value: T): void {
    const keys = this.#byStart.get(start) ?? this.#byStart.set(start, new Map()).get(start)!;
    const before = keys.size;
    keys.set(key, value);
    this.size += keys.size - before;
  }

  delete(start: number, key: string): void {
    const keys = this.#byStart.get(start);
    if (!keys?.delete(key)) return;
    this.size--;
    if (keys.size === 0) this.#byStart.delete(start);
  }

  *all(): Iterable<T> {
    for (const keys of this.#byStart.values()) yield* keys.values();
  }
}
