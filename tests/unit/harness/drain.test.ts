import { describe, expect, it } from 'vitest';
import { drainMarginMs, drainTimeoutFor, drainTiers, drained } from '../../../src/harness/drain.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import type { TierRunner } from '../../../src/harness/tier-runner.ts';
import type { TierHealth, TierName, TierState } from '../../../src/tiers/types.ts';

interface Progress {
  state?: TierState;
  accepted: number;
  rejected?: number;
  visible: number;
}

/** A TierRunner of which only `name` and `health()` are used; `progress` may change between polls. */
function fakeRunner(name: TierName, progress: () => Progress): TierRunner {
  const health = (): TierHealth => {
    const p = progress();
    return {
      state: p.state ?? 'running',
      counts: { accepted: p.accepted, rejected: p.rejected ?? 0, rejectedByReason: {} },
      visible: p.visible,
      usage: { kafkaBytesWritten: 0, s3Requests: { put: 0, get: 0, list: 0 }, s3BytesWritten: 0 },
    };
  };
  return { name, health } as unknown as TierRunner;
}

const fixed = (name: TierName, p: Progress) => fakeRunner(name, () => p);

/** A clock that moves only when the drain waits; every wait is counted. */
function fakeTime(startMicros = 5_000_000) {
  const world = { now: startMicros, waits: [] as number[] };
  return {
    world,
    clock: { nowMicros: () => world.now },
    wait: async (ms: number) => {
      world.waits.push(ms);
      world.now += ms * 1000;
    },
  };
}

describe('drained', () => {
  it('needs every produced record taken and every accepted one visible', () => {
    expect(drained(fixed('streaming', { accepted: 100, visible: 100 }), 100)).toBe(true);
    expect(drained(fixed('streaming', { accepted: 90, rejected: 10, visible: 90 }), 100)).toBe(true);
    expect(drained(fixed('streaming', { accepted: 90, rejected: 9, visible: 90 }), 100)).toBe(false);
    expect(drained(fixed('streaming', { accepted: 100, visible: 99 }), 100)).toBe(false);
  });

  it('counts an errored runner as drained, whatever it took', () => {
    expect(drained(fixed('batch', { state: 'errored', accepted: 0, visible: 0 }), 100)).toBe(true);
  });
});

describe('drainTiers', () => {
  it('returns true without waiting when every runner is already drained', async () => {
    const time = fakeTime();
    const ok = await drainTiers([fixed('batch', { accepted: 10, visible: 10 })], {
      produced: 10,
      timeoutMs: 1_000,
      clock: time.clock,
      failed: () => false,
      wait: time.wait,
    });
    expect(ok).toBe(true);
    expect(time.world.waits).toEqual([]);
  });

  it('waits until every runner has taken every record and made it visible', async () => {
    const time = fakeTime(0);
    // The streaming tier catches up at 500 ms; micro-batch takes all at 750 ms and shows them at 1 s.
    const streaming = fakeRunner('streaming', () => (time.world.now >= 500_000 ? { accepted: 100, visible: 100 } : { accepted: 60, visible: 60 }));
    const microbatch = fakeRunner('microbatch', () =>
      time.world.now >= 1_000_000
        ? { accepted: 95, rejected: 5, visible: 95 }
        : time.world.now >= 750_000
          ? { accepted: 95, rejected: 5, visible: 40 }
          : { accepted: 10, visible: 0 },
    );
    let ticks = 0;
    const ok = await drainTiers([streaming, microbatch], {
      produced: 100,
      timeoutMs: 10_000,
      clock: time.clock,
      failed: () => false,
      wait: time.wait,
      onTick: () => ticks++,
    });
    expect(ok).toBe(true);
    expect(time.world.waits).toEqual([250, 250, 250, 250]);
    expect(time.world.now).toBe(1_000_000);
    expect(ticks).toBe(4);
  });

  it('counts an errored runner as drained', async () => {
    const time = fakeTime();
    const ok = await drainTiers([fixed('batch', { state: 'errored', accepted: 3, visible: 0 }), fixed('streaming', { accepted: 10, visible: 10 })], {
      produced: 10,
      timeoutMs: 1_000,
      clock: time.clock,
      failed: () => false,
      wait: time.wait,
    });
    expect(ok).toBe(true);
    expect(time.world.waits).toEqual([]);
  });

  it('skips a runner that failed to start, never asking its health', async () => {
    const time = fakeTime();
    let asked = 0;
    const neverStarted = fakeRunner('batch', () => {
      asked++;
      return { state: 'idle', accepted: 0, visible: 0 };
    });
    const ok = await drainTiers([neverStarted, fixed('streaming', { accepted: 10, visible: 10 })], {
      produced: 10,
      timeoutMs: 1_000,
      clock: time.clock,
      failed: (runner) => runner === neverStarted,
      wait: time.wait,
    });
    expect(ok).toBe(true);
    expect(asked).toBe(0);
    expect(time.world.waits).toEqual([]);
  });

  it('returns false at the deadline without waiting past it', async () => {
    const time = fakeTime(7_000_000);
    const stuck = fixed('microbatch', { accepted: 100, visible: 99 });
    const ok = await drainTiers([stuck], { produced: 100, timeoutMs: 1_000, clock: time.clock, failed: () => false, wait: time.wait });
    expect(ok).toBe(false);
    // Polls at 0, 250, 500 and 750 ms; at 1,000 ms the deadline has come and it gives up.
    expect(time.world.waits).toEqual([250, 250, 250, 250]);
    expect(time.world.now).toBe(8_000_000);
  });

  it('with a zero timeout, checks once and does not wait', async () => {
    const time = fakeTime();
    const ok = await drainTiers([fixed('batch', { accepted: 0, visible: 0 })], { produced: 1, timeoutMs: 0, clock: time.clock, failed: () => false, wait: time.wait });
    expect(ok).toBe(false);
    expect(time.world.waits).toEqual([]);
  });

  it('never waits past a deadline that is not a multiple of the 250 ms poll', async () => {
    const time = fakeTime(0);
    const ok = await drainTiers([fixed('batch', { accepted: 0, visible: 0 })], { produced: 1, timeoutMs: 1_100, clock: time.clock, failed: () => false, wait: time.wait });
    expect(ok).toBe(false);
    // The last wait is the 100 ms left, not a full poll.
    expect(time.world.waits).toEqual([250, 250, 250, 250, 100]);
    expect(time.world.now).toBe(1_100_000);
  });
});

describe('drainTimeoutFor', () => {
  it('waits the longest hold period of the tiers run, plus the margin', async () => {
    // demo: micro-batch triggers every 5 s; batch holds an event up to its 2 s lake flush and then its 20 s job period.
    const demo = await loadScenario('demo');
    expect(drainTimeoutFor(['streaming'], demo)).toBe(drainMarginMs);
    expect(drainTimeoutFor(['streaming', 'microbatch'], demo)).toBe(5_000 + drainMarginMs);
    expect(drainTimeoutFor(['batch', 'microbatch', 'streaming'], demo)).toBe(22_000 + drainMarginMs);
  });
});
