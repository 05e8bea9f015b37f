import { describe, expect, it } from 'vitest';
import { readStepMicros, StalenessGrid } from '../../../src/metrics/staleness-grid.ts';

const ms = 1_000;

describe('staleness at read, measured on a grid of read instants', () => {
  it('is, at each instant, the age of the oldest event a later write made visible', () => {
    const grid = new StalenessGrid();
    // A micro-batch write at 1,000 ms of events from 0 to 999 ms: unseen at reads 0, 100, ... 900 ms.
    grid.record(0, 1_000 * ms);
    const stats = grid.stats();
    expect(stats.reads).toBe(10);
    // Reads at 0..900 ms each miss the event of 0 ms: stale by the read's own time.
    expect(stats).toEqual({ reads: 10, p50Micros: 400 * ms, p99Micros: 900 * ms, maxMicros: 900 * ms });
  });

  it('takes the oldest unseen event at an instant two writes cover, and one range per write whatever its size', () => {
    const grid = new StalenessGrid();
    grid.record(150 * ms, 450 * ms); // reads 200, 300, 400: 150 ms old event unseen
    grid.record(50 * ms, 250 * ms); // reads 100, 200: the 50 ms event, older, wins at 200
    expect(grid.encode().sort(([a], [b]) => a - b)).toEqual([
      [1, 50 * ms],
      [2, 50 * ms],
      [3, 150 * ms],
      [4, 150 * ms],
    ]);
    // Stalenesses 50, 150, 150, 250 ms.
    expect(grid.stats()).toEqual({ reads: 4, p50Micros: 150 * ms, p99Micros: 250 * ms, maxMicros: 250 * ms });
  });

  it('counts only reads within the measured window: after warm-up, while the stream runs', () => {
    const grid = new StalenessGrid(500 * ms, 800 * ms);
    grid.record(0, 2_000 * ms);
    expect(grid.encode().map(([read]) => read * readStepMicros)).toEqual([500 * ms, 600 * ms, 700 * ms, 800 * ms]);
  });

  it('merges a replaced worker\'s reads by the oldest unseen event, and has no data with no write', () => {
    const dead = new StalenessGrid();
    dead.record(0, 300 * ms);
    const live = new StalenessGrid();
    live.record(100 * ms, 500 * ms);
    live.merge(dead.encode());
    // Reads 0, 100, 200 from the dead worker's write (the 0 ms event), 300, 400 from the live one's.
    expect(live.stats()).toEqual({ reads: 5, p50Micros: 200 * ms, p99Micros: 300 * ms, maxMicros: 300 * ms });
    expect(new StalenessGrid().stats()).toEqual({ reads: 0, p50Micros: 0, p99Micros: 0, maxMicros: 0 });
  });
});
