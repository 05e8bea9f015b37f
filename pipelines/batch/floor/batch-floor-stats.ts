/*
 * Row (f) of `tierlab floor`: the statistics over a handful of whole-job runs. Pure functions
 * over numbers, tested against exact values (tests/unit/floor/batch-floor.test.ts).
 */

/** Per-run figures, as measured: wall time of the whole run and process CPU spent in it. */
export interface RunSample {
  wallMicros: number;
  /** process.cpuUsage() user + system delta over the run: every thread of the process, DuckDB's included. */
  cpuMicros: number;
}

export interface RunStats {
  runs: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
  maxMicros: number;
  /** Total CPU over all runs / (events per run × runs). */
  cpuMicrosPerEvent: number;
}

/**
 * Nearest-rank percentile (the smallest sample with at least `p` of the samples at or below
 * it), never interpolated: every figure is a time that was measured. With fewer than 100 runs
 * p99 is the max; with fewer than 1000, p99.9 is. An empty list is a caller's bug and throws.
 */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile must be in (0, 1] (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  // The epsilon keeps 0.99 * 100 (= 99.00000000000001 in binary) at rank 99.
  const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}

/** The row's figures over its runs; `eventsPerRun` is how many events each run aggregated. */
export function runStats(samples: readonly RunSample[], eventsPerRun: number): RunStats {
  if (samples.length === 0) throw new RangeError('statistics of no runs');
  if (!(Number.isInteger(eventsPerRun) && eventsPerRun > 0)) {
    throw new RangeError(`events per run must be a whole number > 0 (got ${eventsPerRun})`);
  }
  const walls = samples.map((sample) => sample.wallMicros);
  const cpuMicros = samples.reduce((sum, sample) => sum + sample.cpuMicros, 0);
  return {
    runs: samples.length,
    p50Micros: nearestRank(walls, 0.5),
    p99Micros: nearestRank(walls, 0.99),
    p999Micros: nearestRank(walls, 0.999),
    maxMicros: Math.max(...walls),
    cpuMicrosPerEvent: cpuMicros / (eventsPerRun * samples.length),
  };
}

/** How many times its floor a row takes, by p50: above 1 is slower than the floor. */
export function ratioToFloor(rowP50Micros: number, floorP50Micros: number): number {
  if (floorP50Micros <= 0) return rowP50Micros <= 0 ? 1 : Infinity;
  return rowP50Micros / floorP50Micros;
}

/** process.cpuUsage() deltas, as one number of µs. */
export function cpuDeltaMicros(before: NodeJS.CpuUsage, after: NodeJS.CpuUsage): number {
  return after.user - before.user + (after.system - before.system);
}

/**
 * Each phase's p50 over the runs (nearest rank, as the rows' figures): where a typical run's time
 * goes. Taken phase by phase, so they need not add up to the p50 of the runs' wall times.
 */
export function phaseP50s<Phase extends string>(runs: ReadonlyArray<Readonly<Record<Phase, number>>>, phases: readonly Phase[]): Record<Phase, number> {
  if (runs.length === 0) throw new RangeError('phases of no runs');
  return Object.fromEntries(phases.map((phase) => [phase, nearestRank(runs.map((run) => run[phase]), 0.5)])) as Record<Phase, number>;
}
