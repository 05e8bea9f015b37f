import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../src/harness/run-tiers.ts';
import { LiveTracker, percentile } from '../../../src/demo/tracker.ts';

const progress = (produced: number, tiers: RunProgress['tiers'], phase: RunProgress['phase'] = 'generating'): RunProgress => ({
  phase,
  produced,
  generatorLagMicros: 100,
  tiers,
});

describe('the live tracker (progress callbacks -> one tick per second)', () => {
  it('takes rates over the time between ticks, backlog from produced - visible', () => {
    const tracker = new LiveTracker({ tiers: ['batch', 'streaming'], rollingSec: 30 });
    tracker.tick(0);
    tracker.observe(progress(1_000, [{ name: 'streaming', state: 'running', visible: 900, latestLatencyMicros: 5_000 }]), 'pass 1/1', 500);
    tracker.observe(progress(2_000, [{ name: 'streaming', state: 'running', visible: 1_800, latestLatencyMicros: 7_000 }]), 'pass 1/1', 1_000);
    const tick = tracker.tick(2_000);
    const streaming = tick.lanes.find((l) => l.name === 'streaming')!;
    expect(tick.produced).toBe(2_000);
    expect(streaming).toMatchObject({ active: true, state: 'running', visible: 1_800, backlog: 200, offeredPerSec: 1_000, visiblePerSec: 900 });
    // Not in this pass: shown, not fed.
    expect(tick.lanes.find((l) => l.name === 'batch')).toMatchObject({ active: false, state: 'waiting', offeredPerSec: 0, visiblePerSec: 0 });
  });

  it('rolls p50/p99 over the window of latencies sampled when results moved', () => {
    const tracker = new LiveTracker({ tiers: ['microbatch'], rollingSec: 10 });
    for (let i = 1; i <= 10; i++) {
      tracker.observe(progress(i * 100, [{ name: 'microbatch', state: 'running', visible: i * 100, latestLatencyMicros: i * 1_000 }]), 'p', i * 1_000);
    }
    // A callback whose count did not move is not a new result: no sample.
    tracker.observe(progress(1_100, [{ name: 'microbatch', state: 'running', visible: 1_000, latestLatencyMicros: 10_000 }]), 'p', 10_500);
    expect(tracker.tick(10_500).lanes[0]).toMatchObject({ p50Micros: 5_000, p99Micros: 10_000 });
    // 5 s later the first five samples have left the 10 s window.
    expect(tracker.tick(15_500).lanes[0]).toMatchObject({ p50Micros: 8_000, p99Micros: 10_000 });
  });

  it("shows the tier's own rolling percentiles and the newest visible event's age when the progress carries them", () => {
    const tracker = new LiveTracker({ tiers: ['microbatch'], rollingSec: 10 });
    const tier = { name: 'microbatch' as const, state: 'running', visible: 500, latestLatencyMicros: 900_000 };
    tracker.observe(progress(600, [{ ...tier, recent: { p50Micros: 2_400_000, p99Micros: 4_900_000 }, newestVisibleEventMicros: 9_000_000 }]), 'p', 10_000);
    expect(tracker.tick(10_000).lanes[0]).toMatchObject({ p50Micros: 2_400_000, p99Micros: 4_900_000, freshnessMicros: 1_000_000 });
  });

  it('ages the newest visible result from its latency when seen, and stops when the pass ends', () => {
    const tracker = new LiveTracker({ tiers: ['batch'], rollingSec: 30 });
    tracker.observe(progress(500, [{ name: 'batch', state: 'running', visible: 400, latestLatencyMicros: 3_000_000 }]), 'p', 10_000);
    // Seen at 10 s with a 3 s latency: its event time was 7 s; at 12 s it is 5 s old.
    expect(tracker.tick(12_000).lanes[0]!.freshnessMicros).toBe(5_000_000);
    tracker.finishPass();
    expect(tracker.tick(13_000).lanes[0]!.freshnessMicros).toBeUndefined();
  });

  it('starts counting again in a new pass (a fresh generator and fresh workers)', () => {
    const tracker = new LiveTracker({ tiers: ['batch', 'streaming'], rollingSec: 30 });
    expect(tracker.observe(progress(5_000, [{ name: 'batch', state: 'running', visible: 5_000, latestLatencyMicros: 1 }]), 'pass 1/2', 1_000)).toBe(true);
    tracker.tick(2_000);
    expect(tracker.observe(progress(100, [{ name: 'streaming', state: 'running', visible: 100, latestLatencyMicros: 1 }]), 'pass 2/2', 3_000)).toBe(true);
    expect(tracker.passStartMs).toBe(3_000);
    const tick = tracker.tick(3_000);
    expect(tick.lanes.find((l) => l.name === 'batch')).toMatchObject({ active: false, visible: 5_000 });
    expect(tick.lanes.find((l) => l.name === 'streaming')).toMatchObject({ active: true, offeredPerSec: 100, visiblePerSec: 100 });
  });
});

describe('percentile (nearest rank)', () => {
  it('picks exact values', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
  });
});
