import { describe, expect, it } from 'vitest';
import { backlogGrew, backlogGrowth, type BacklogSample } from '../../../src/capacity/backlog.ts';

const second = 1_000_000;

/** Samples at the given seconds of a step, backlog as a function of the second. */
function series(times: number[], backlog: (t: number) => number): BacklogSample[] {
  return times.map((t) => ({ atMicros: Math.round(t * second), backlog: Math.round(backlog(t)) }));
}

/** Once a second for a 30 s step, a little off the whole seconds as a real sampler is. */
const everySecond = Array.from({ length: 31 }, (_, i) => i + 0.37);

describe('backlog growth over a step', () => {
  it('a micro-batch saw-tooth that keeps up did not grow, even ending just before a trigger', () => {
    // 2,000 events/s collected for a 5 s trigger, then emptied: 0 -> 10,000 -> 0, five times over.
    const sawTooth = series(everySecond, (t) => 2_000 * (t % 5));
    const last = sawTooth[sawTooth.length - 1]!;
    sawTooth.push({ atMicros: last.atMicros + 0.6 * second, backlog: 9_900 }); // the step ends at a peak
    expect(backlogGrew(sawTooth, { offeredPerSec: 2_000 })).toBe(false);
  });

  it('a flat backlog did not grow', () => {
    const verdict = backlogGrowth(series(everySecond, () => 500), { offeredPerSec: 10_000 });
    expect(verdict).toEqual({ grew: false, judged: true, earlyMin: 500, lateMin: 500, thresholdEvents: 10_000 });
  });

  it('a backlog rising steadily grew: the tier could not keep up', () => {
    // Offered 10,000/s, the tier makes 7,000/s visible: 3,000 more waiting each second.
    const verdict = backlogGrowth(series(everySecond, (t) => 3_000 * t), { offeredPerSec: 10_000 });
    expect(verdict.grew).toBe(true);
    expect(verdict.lateMin - verdict.earlyMin).toBeGreaterThan(verdict.thresholdEvents);
  });

  it('a saw-tooth whose troughs rise grew: each trigger leaves more behind', () => {
    const rising = series(everySecond, (t) => 2_000 * (t % 5) + 1_500 * t);
    expect(backlogGrew(rising, { offeredPerSec: 2_000 })).toBe(true);
  });

  it('growth is judged against max(1,000 events, 1 s of the offered rate)', () => {
    const by = (growth: number) => series(everySecond, (t) => (t > 20 ? growth : 0));
    expect(backlogGrowth(by(900), { offeredPerSec: 100 }).thresholdEvents).toBe(1_000);
    expect(backlogGrew(by(900), { offeredPerSec: 100 })).toBe(false);
    expect(backlogGrew(by(1_100), { offeredPerSec: 100 })).toBe(true);
    expect(backlogGrew(by(4_000), { offeredPerSec: 5_000 })).toBe(false);
    expect(backlogGrew(by(6_000), { offeredPerSec: 5_000 })).toBe(true);
  });

  it('sparse samples widen the slack to the largest gap between them', () => {
    const everyThree = Array.from({ length: 11 }, (_, i) => i * 3);
    expect(backlogGrowth(series(everyThree, () => 0), { offeredPerSec: 1_000 }).thresholdEvents).toBe(3_000);
  });

  it('the order of the samples does not matter', () => {
    const rising = series(everySecond, (t) => 3_000 * t);
    expect(backlogGrew([...rising].reverse(), { offeredPerSec: 10_000 })).toBe(true);
  });

  it('too few samples, or a step shorter than two tier cycles, is not judged and never "grew"', () => {
    expect(backlogGrowth([], { offeredPerSec: 1_000 }).judged).toBe(false);
    expect(backlogGrowth(series([0, 10], (t) => t * 10_000), { offeredPerSec: 1_000 })).toMatchObject({ grew: false, judged: false });
    // A 30 s step cannot hold two 20 s batch cycles: the backlog only rises within it, which proves nothing.
    const oneCycle = series(everySecond, (t) => 1_000 * t);
    expect(backlogGrowth(oneCycle, { offeredPerSec: 1_000, cycleMicros: 20 * second })).toMatchObject({ grew: false, judged: false });
    expect(backlogGrew(oneCycle, { offeredPerSec: 1_000 })).toBe(true);
  });

  it('windows at least one cycle long find the troughs of a slow saw-tooth', () => {
    // A 15 s trigger emptying at 2 s and 17 s of a 30 s step: the last third (20-30 s) holds
    // no trough, so thirds alone mistake a healthy saw-tooth for growth; 15 s windows do not.
    const times = Array.from({ length: 31 }, (_, i) => i + 0.5);
    const slow = series(times, (t) => 1_000 * ((t + 13) % 15));
    expect(backlogGrew(slow, { offeredPerSec: 1_000 })).toBe(true);
    expect(backlogGrew(slow, { offeredPerSec: 1_000, cycleMicros: 15 * second })).toBe(false);
  });
});
