import { describe, expect, it } from 'vitest';
import { WindowAggregator, compareByKeyAndWindow, type LabEvent } from '../../../src/events/index.ts';

const minute = 60_000_000;
const rules = [{ name: 'risky', field: 'country', op: 'eq' as const, value: 'NG' }];
const at = (seq: number, key: string, micros: number, amountCents: number, country = 'US'): LabEvent => ({
  seq,
  key,
  eventTimeMicros: micros,
  amountCents,
  attrs: { country },
});

describe('WindowAggregator restore', () => {
  it('puts a stored window back without counting its events as added, and later events add to it', () => {
    const windows = new WindowAggregator(60_000, rules);
    const stored = { key: 'a', windowStartMicros: 10 * minute, count: 3, sumCents: 300, flags: { risky: 1 } };
    const held = windows.restore(stored);
    expect(windows.events).toBe(0);
    expect(windows.size).toBe(1);
    expect(held).not.toBe(stored);
    held.count = 99;
    expect(stored.count).toBe(3); // a copy: the caller's object is never changed through it

    const restoredAgain = new WindowAggregator(60_000, rules);
    restoredAgain.restore(stored);
    restoredAgain.add(at(0, 'a', 10 * minute + 5, 50, 'NG'));
    restoredAgain.add(at(1, 'b', 10 * minute, 7));
    expect(restoredAgain.events).toBe(2);
    expect(restoredAgain.result()).toEqual([
      { key: 'a', windowStartMicros: 10 * minute, count: 4, sumCents: 350, flags: { risky: 2 } },
      { key: 'b', windowStartMicros: 10 * minute, count: 1, sumCents: 7, flags: { risky: 0 } },
    ]);
  });

  it('replaces a window of the same key and start', () => {
    const windows = new WindowAggregator(60_000, rules);
    windows.add(at(0, 'a', 10 * minute, 100));
    windows.restore({ key: 'a', windowStartMicros: 10 * minute, count: 5, sumCents: 500, flags: { risky: 2 } });
    expect(windows.result()).toEqual([{ key: 'a', windowStartMicros: 10 * minute, count: 5, sumCents: 500, flags: { risky: 2 } }]);
  });

  it('emptyWindow then addTo count as add does, for windows a caller keeps itself', () => {
    const events = Array.from({ length: 500 }, (_, i) => at(i, `k${(i * 7) % 13}`, 10 * minute + ((i * 7919) % (5 * minute)), (i * 31) % 1000, i % 3 ? 'US' : 'NG'));
    const byAdd = new WindowAggregator(60_000, rules);
    const counter = new WindowAggregator(60_000, rules);
    const own = new Map<string, ReturnType<WindowAggregator['emptyWindow']>>();
    for (const event of events) {
      const start = event.eventTimeMicros - (event.eventTimeMicros % minute);
      const id = `${event.key}|${start}`;
      const window = own.get(id) ?? own.set(id, counter.emptyWindow(event.key, start)).get(id)!;
      counter.addTo(window, event);
      expect(window).toEqual(byAdd.add(event));
    }
    expect(counter.events).toBe(byAdd.events);
    expect(counter.size).toBe(0); // the caller's windows are not held by the counter
    expect([...own.values()].sort(compareByKeyAndWindow)).toEqual(byAdd.result());
  });

  it('restoredWindow copies a stored window without holding it', () => {
    const windows = new WindowAggregator(60_000, rules);
    const copy = windows.restoredWindow({ key: 'a', windowStartMicros: 0, count: 2, sumCents: 5, flags: { risky: 1 } });
    expect(copy).toEqual({ key: 'a', windowStartMicros: 0, count: 2, sumCents: 5, flags: { risky: 1 } });
    expect(windows.size).toBe(0);
    expect(windows.events).toBe(0);
  });
});
