import type { DashboardQueryName } from './dashboard-queries.ts';
import type { ZoneQuery } from '../results/lakehouse.ts';

/** How often each dashboard query is run in a zone: untimed first runs, then timed ones. */
export interface QueryRuns {
  warmups: number;
  runs: number;
}

/** What a zone answered: each query's figures, and the rows of its last run (the aggregate's are checked against the ground truth). */
export interface ZoneAnswers {
  queries: ZoneQuery[];
  /** CPU of one refresh (each query's timed runs' CPU over their count, added), by the zone's engine. */
  cpuMicros: number;
  /** measured: the engine's process was read; assumed: it was not this machine's to read, so its wall time stands in. */
  cpuBasis: 'measured' | 'assumed';
  rows: Record<DashboardQueryName, Array<Record<string, unknown>>>;
}

/** Nearest rank, as the lab's other percentiles of few samples. */
export function nearestRank(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

/** One query's figures from its timed runs. */
export function zoneQuery(name: DashboardQueryName, micros: readonly number[], bytesScanned: number, rows: number): ZoneQuery {
  return { name, runs: micros.length, p50Micros: nearestRank(micros, 50), p99Micros: nearestRank(micros, 99), bytesScanned, rows };
}

/** A zone's dashboard refresh: the three queries' p50s added, their p99s added (an upper bound), their bytes added. */
export function refreshFigures(queries: readonly ZoneQuery[]): { queryP50Micros: number; queryP99Micros: number; bytesScanned: number } {
  return {
    queryP50Micros: queries.reduce((sum, q) => sum + q.p50Micros, 0),
    queryP99Micros: queries.reduce((sum, q) => sum + q.p99Micros, 0),
    bytesScanned: queries.reduce((sum, q) => sum + q.bytesScanned, 0),
  };
}
