import { describe, expect, it } from 'vitest';
import { EventSource, loadDataset, runOpenLoop, Schedule, type EventSink, type GeneratedRecord } from '../../../src/events/index.ts';

function times(schedule: Schedule, n: number): number[] {
  return Array.from({ length: n }, () => schedule.next());
}

describe('the schedule', () => {
  it('spaces a constant rate exactly, without drift', () => {
    const schedule = new Schedule({ kind: 'constant', ratePerSec: 3 }, 0);
    expect(times(schedule, 4)).toEqual([0, 333_333, 666_667, 1_000_000]);
    const fast = new Schedule({ kind: 'constant', ratePerSec: 7_000 }, 0);
    const due = times(fast, 70_001);
    expect(due.at(-1)).toBe(10_000_000);
  });

  it('multiplies the rate during bursts', () => {
    const schedule = new Schedule({ kind: 'bursts', ratePerSec: 10, factor: 5, burstSec: 1, everySec: 4 }, 0);
    const due = times(schedule, 200);
    const inSecond = (s: number) => due.filter((t) => t >= s * 1e6 && t < (s + 1) * 1e6).length;
    expect([inSecond(0), inSecond(1), inSecond(2), inSecond(3), inSecond(4)]).toEqual([50, 10, 10, 10, 50]);
  });

  it('follows a compressed day: quiet at night, busy at midday', () => {
    const schedule = new Schedule({ kind: 'diurnal', ratePerSec: 100, amplitude: 0.8, periodSec: 24 }, 0);
    const due = times(schedule, 2_400);
    const inHour = (h: number) => due.filter((t) => t >= h * 1e6 && t < (h + 1) * 1e6).length;
    expect(inHour(12)).toBeGreaterThan(150);
    expect(inHour(0)).toBeLessThan(50);
  });
});

/** A clock that only moves when the loop waits or sends, and a sink that takes `microsPerRecord`. */
function fakeWorld(microsPerRecord: number) {
  let now = 1_000_000;
  const sent: Array<{ count: number; at: number }> = [];
  const clock = { nowMicros: () => now };
  const wait = async (ms: number) => {
    now += Math.ceil(ms * 1000);
  };
  const sink: EventSink = {
    async send(records: GeneratedRecord[], sentMicros: number) {
      sent.push({ count: records.length, at: sentMicros });
      now += microsPerRecord * records.length;
    },
    async close() {},
  };
  return { clock, wait, sink, sent };
}

describe('the open loop', () => {
  it('sends on schedule when the sink keeps up', async () => {
    const world = fakeWorld(0);
    const report = await runOpenLoop({
      source: new EventSource(await loadDataset('iot'), 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 1_000 }, 1_000_000),
      count: 1_000,
      sink: world.sink,
      clock: world.clock,
      wait: world.wait,
      paced: true,
      lingerMs: 2,
      maxInFlight: 1,
    });
    expect(report.produced).toBe(1_000);
    expect(report.lag.maxMicros).toBeLessThanOrEqual(2_001); // never more than the linger
    expect(report.fellBehind).toBe(false);
    expect(report.achievedRatePerSec).toBeGreaterThan(990);
  });

  it('keeps the schedule when the sink is slow, and reports the growing lag', async () => {
    const world = fakeWorld(200); // the sink can take 5,000 records/s
    const report = await runOpenLoop({
      source: new EventSource(await loadDataset('iot'), 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 10_000 }, 1_000_000),
      durationMs: 3_000,
      sink: world.sink,
      clock: world.clock,
      wait: world.wait,
      paced: true,
      maxInFlight: 1,
    });
    // The schedule was not slowed: all 30,000 records were produced with their due times…
    expect(report.produced).toBe(30_000);
    // …and their lateness is the measured lag, growing to the end.
    expect(report.lag.finalMicros).toBeGreaterThan(1_000_000);
    expect(report.achievedRatePerSec).toBeLessThan(6_000);
    expect(report.fellBehind).toBe(true);
  });
});
