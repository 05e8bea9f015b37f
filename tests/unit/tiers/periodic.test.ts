import { describe, expect, it } from 'vitest';
import { runPeriodically, type TickOutcome } from '../../../src/tiers/periodic.ts';

/** A clock that only moves when the loop waits or a tick says it took time. */
function fakeClock() {
  let nowMs = 0;
  return {
    nowMs: () => nowMs,
    advance: (ms: number) => (nowMs += ms),
    wait: async (ms: number) => {
      nowMs += ms;
    },
  };
}

describe('a periodic loop on the run\'s clock', () => {
  it('ticks every period, keeps the schedule whatever a tick takes within it, and stops when a tick says so', async () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    await runPeriodically({
      periodMs: 1_000,
      nowMs: clock.nowMs,
      wait: clock.wait,
      signal: new AbortController().signal,
      tick: async () => {
        ticks.push(clock.nowMs());
        clock.advance(300);
        return ticks.length === 3 ? 'stop' : undefined;
      },
    });
    expect(ticks).toEqual([1_000, 2_000, 3_000]);
  });

  it('follows a tick that overran its period at once, without the ticks it missed', async () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    await runPeriodically({
      periodMs: 1_000,
      nowMs: clock.nowMs,
      wait: clock.wait,
      signal: new AbortController().signal,
      tick: async () => {
        ticks.push(clock.nowMs());
        if (ticks.length === 1) clock.advance(3_500); // overran three and a half periods
        return ticks.length === 3 ? 'stop' : undefined;
      },
    });
    expect(ticks).toEqual([1_000, 4_500, 5_500]);
  });

  it('runs again sooner when a tick asks (a failed run retried), then a period after that', async () => {
    const clock = fakeClock();
    const ticks: number[] = [];
    const outcomes: TickOutcome[] = [{ againInMs: 200 }, undefined, 'stop'];
    await runPeriodically({
      periodMs: 1_000,
      nowMs: clock.nowMs,
      wait: clock.wait,
      signal: new AbortController().signal,
      tick: async () => {
        ticks.push(clock.nowMs());
        return outcomes[ticks.length - 1];
      },
    });
    expect(ticks).toEqual([1_000, 1_200, 2_200]);
  });

  it('ends when its signal aborts, during a wait, without another tick', async () => {
    const clock = fakeClock();
    const stop = new AbortController();
    let ticks = 0;
    await runPeriodically({
      periodMs: 1_000,
      nowMs: clock.nowMs,
      wait: async (ms) => {
        clock.advance(ms);
        if (clock.nowMs() >= 2_000) stop.abort();
      },
      signal: stop.signal,
      tick: async () => {
        ticks++;
      },
    });
    expect(ticks).toBe(1);
  });
});
