import type { Clock } from '../../src/events/index.ts';

/*
 * Where a batch job run's wall time goes (issue 22): the job against DuckDB alone is a ratio,
 * and a ratio does not say what to change. Each phase is the wall time of the steps it names,
 * summed over the run's partitions; they run one after another, so they add up to the run's wall
 * time less the bookkeeping between them.
 */

/**
 * list: the LIST of the raw zone; get: the objects brought from S3 (GETs, staged or read by
 * DuckDB's httpfs); query: the aggregate COPY to the curated Parquet; put: the curated Parquet
 * read back and PUT; scan: the new rows' times read and made into visible events, the lab's
 * instrument, after the last PUT (a real job has no such step).
 */
export const jobPhases = ['list', 'get', 'query', 'scan', 'put'] as const;

export type JobPhase = (typeof jobPhases)[number];

export type PhaseMicros = Record<JobPhase, number>;

export function noPhaseMicros(): PhaseMicros {
  return { list: 0, get: 0, query: 0, scan: 0, put: 0 };
}

/** Runs `work` and adds its wall time, on `clock`, to `phases[phase]`, also when it throws. */
export async function timePhase<T>(phases: PhaseMicros, phase: JobPhase, clock: Clock, work: () => Promise<T>): Promise<T> {
  const startMicros = clock.nowMicros();
  try {
    return await work();
  } finally {
    phases[phase] += clock.nowMicros() - startMicros;
  }
}
