import { evaluateRules } from './rules.ts';
import type { DatasetRule, LabEvent, WindowAggregate } from './types.ts';

export function aggregateKey(aggregate: Pick<WindowAggregate, 'key' | 'windowStartMicros'>): string {
  return `${aggregate.key}|${aggregate.windowStartMicros}`;
}

export function windowStartOf(eventTimeMicros: number, windowMs: number): number {
  const windowMicros = windowMs * 1000;
  return eventTimeMicros - (eventTimeMicros % windowMicros);
}

export function compareByKeyAndWindow(a: WindowAggregate, b: WindowAggregate): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStartMicros - b.windowStartMicros;
}

/**
 * Per-key event-time tumbling windows of count, sum of cents and rule flags. The generator
 * feeds one as it produces — the ground truth — and the streaming and micro-batch tiers keep
 * their state in one; the batch tier computes the same in SQL.
 */
export class WindowAggregator {
  readonly #windows = new Map<string, WindowAggregate>();
  readonly #windowMs: number;
  readonly #rules: DatasetRule[];
  events = 0;

  constructor(windowMs: number, rules: DatasetRule[]) {
    this.#windowMs = windowMs;
    this.#rules = rules;
  }

  /** Adds an event to its window; returns the window, updated. */
  add(event: LabEvent): WindowAggregate {
    const windowStartMicros = windowStartOf(event.eventTimeMicros, this.#windowMs);
    const id = `${event.key}|${windowStartMicros}`;
    let window = this.#windows.get(id);
    if (!window) {
      window = this.emptyWindow(event.key, windowStartMicros);
      this.#windows.set(id, window);
    }
    this.addTo(window, event);
    return window;
  }

  /**
   * Counts an event into a window: what `add` does once it has found the window. For a caller
   * that keeps windows of its own (a tier's ResumableWindows) and wants the same aggregation.
   */
  addTo(window: WindowAggregate, event: LabEvent): void {
    window.count++;
    window.sumCents += event.amountCents;
    for (const name of evaluateRules(event, this.#rules)) window.flags[name]! += 1;
    this.events++;
  }

  /** A window of this aggregation with nothing counted yet; not held here. */
  emptyWindow(key: string, windowStartMicros: number): WindowAggregate {
    const window: WindowAggregate = { key, windowStartMicros, count: 0, sumCents: 0, flags: {} };
    for (const rule of this.#rules) window.flags[rule.name] = 0;
    return window;
  }

  /** A copy of a stored window, as `emptyWindow` would have made it and with its counts; not held here. */
  restoredWindow(aggregate: WindowAggregate): WindowAggregate {
    const window = this.emptyWindow(aggregate.key, aggregate.windowStartMicros);
    window.count = aggregate.count;
    window.sumCents = aggregate.sumCents;
    for (const [name, value] of Object.entries(aggregate.flags)) window.flags[name] = value;
    return window;
  }

  /**
   * Puts back a window as it was stored (e.g. read back from a results topic): it replaces any
   * window of the same key and start, and its events do not count as added (`events`). Returns
   * the window now held, a copy of the one given.
   */
  restore(aggregate: WindowAggregate): WindowAggregate {
    const window = this.restoredWindow(aggregate);
    this.#windows.set(aggregateKey(aggregate), window);
    return window;
  }

  /** Windows held, restored or added. */
  get size(): number {
    return this.#windows.size;
  }

  result(): WindowAggregate[] {
    return [...this.#windows.values()].map((w) => ({ ...w, flags: { ...w.flags } })).sort(compareByKeyAndWindow);
  }
}

export interface AggregateMismatch {
  key: string;
  windowStartMicros: number;
  expected?: WindowAggregate;
  actual?: WindowAggregate;
}

export interface Comparison {
  equal: boolean;
  mismatches: AggregateMismatch[];
}

function sameAggregate(a: WindowAggregate, b: WindowAggregate): boolean {
  if (a.count !== b.count || a.sumCents !== b.sumCents) return false;
  const names = new Set([...Object.keys(a.flags), ...Object.keys(b.flags)]);
  for (const name of names) if ((a.flags[name] ?? 0) !== (b.flags[name] ?? 0)) return false;
  return true;
}

/** Exact comparison of two answers; every differing, missing or extra window is listed. */
export function compareAggregates(expected: WindowAggregate[], actual: WindowAggregate[]): Comparison {
  const actualById = new Map(actual.map((a) => [aggregateKey(a), a]));
  const mismatches: AggregateMismatch[] = [];
  for (const want of expected) {
    const id = aggregateKey(want);
    const got = actualById.get(id);
    actualById.delete(id);
    if (!got || !sameAggregate(want, got)) {
      mismatches.push({ key: want.key, windowStartMicros: want.windowStartMicros, expected: want, ...(got ? { actual: got } : {}) });
    }
  }
  for (const extra of actualById.values()) {
    mismatches.push({ key: extra.key, windowStartMicros: extra.windowStartMicros, actual: extra });
  }
  return { equal: mismatches.length === 0, mismatches };
}
