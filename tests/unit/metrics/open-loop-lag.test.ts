import { describe, expect, it } from 'vitest';
import { EventSource, loadDataset, runOpenLoop, Schedule, type EventSink, type GeneratedRecord } from '../../../src/events/index.ts';
import { decodeHistogram, latencyStats } from '../../../src/metrics/histogram.ts';

/** A clock that only moves when the loop waits or sends, and a sink that takes `microsPerRecord`. */
function fakeWorld(microsPerRecord: number) {
  let now = 1_000_000;
  const clock = { nowMicros: () => now };
  const wait = async (ms: number) => {
    now += Math.ceil(ms * 1000);
  };
  const sink: EventSink = {
    async send(records: GeneratedRecord[]) {
      now += microsPerRecord * records.length;
    },
    async close() {},
  };
  return { clock, wait, sink };
}

describe('the open loop lag histogram', () => {
  it('holds every record’s lag: its count is the records produced, its max the reported max', async () => {
    const world = fakeWorld(200); // slower than the schedule, so the lag grows
    const report = await runOpenLoop({
      source: new EventSource(await loadDataset('iot'), 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 10_000 }, 1_000_000),
      durationMs: 500,
      sink: world.sink,
      clock: world.clock,
      wait: world.wait,
      paced: true,
      maxInFlight: 1,
    });
    expect(report.produced).toBe(5_000);
    const lag = decodeHistogram(report.lagHistogram);
    expect(lag.totalCount).toBe(report.produced);
    // A decoded histogram knows its max only to its bucket: the top of the bucket holding the
    // exact max the report gives (255,999 for 255,900 here), so equal within 3 significant digits.
    expect(lag.maxValue).toBeGreaterThanOrEqual(report.lag.maxMicros);
    expect((lag.maxValue - report.lag.maxMicros) / report.lag.maxMicros).toBeLessThanOrEqual(0.001);
    const stats = latencyStats(lag);
    expect(stats.p50Micros).toBe(report.lag.p50Micros);
    expect(stats.p99Micros).toBe(report.lag.p99Micros);
    expect(report.lag.maxMicros).toBeGreaterThan(0);
  });

  it('holds every record unpaced too, each sent at once', async () => {
    const world = fakeWorld(0);
    const report = await runOpenLoop({
      source: new EventSource(await loadDataset('iot'), 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 1_000 }, 1_000_000),
      count: 300,
      sink: world.sink,
      clock: world.clock,
      wait: world.wait,
      paced: false,
    });
    const lag = decodeHistogram(report.lagHistogram);
    expect(lag.totalCount).toBe(300);
    expect(lag.maxValue).toBe(report.lag.maxMicros);
  });

  it('is an empty histogram when nothing was produced', async () => {
    const world = fakeWorld(0);
    const report = await runOpenLoop({
      source: new EventSource(await loadDataset('iot'), 1),
      schedule: new Schedule({ kind: 'constant', ratePerSec: 1_000 }, 1_000_000),
      count: 0,
      sink: world.sink,
      clock: world.clock,
      wait: world.wait,
      paced: true,
    });
    expect(report.produced).toBe(0);
    expect(decodeHistogram(report.lagHistogram).totalCount).toBe(0);
    expect(report.lag.maxMicros).toBe(0);
  });
});
