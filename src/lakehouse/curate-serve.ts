import { join } from 'node:path';
import type { Histogram } from 'hdr-histogram-js';
import type { Clock } from '../events/index.ts';
import { newLatencyHistogram, recordMicros } from '../metrics/histogram.ts';
import { sqlString, type Warehouse } from '../warehouse/duckdb.ts';
import type { IcebergEngine } from './iceberg/engine.ts';
import type { CuratedLine } from './iceberg/protocol.ts';
import { metered, ownCpu, processCpu } from './cpu-meter.ts';
import { loadRefusing, nullIn, type Refusal, type ServedTarget } from './serve.ts';

/** What the orchestrated step has done so far, kept across its runs. */
export interface CurateServeState {
  /** The snapshot the warehouses are loaded through. */
  exportedThrough: string | null;
  runs: number;
  curated: CuratedLine[];
  curateMicros: number[];
  /** The curation engine's CPU in each run (its JVM), where it is readable. */
  curateCpuMicros: number[];
  /** Event time to the curate's commit, for every row it appended. */
  curatedFreshness: Histogram;
  served: Map<string, ServedState>;
}

export interface ServedState {
  loaded: number;
  refused: number;
  refusals: Refusal[];
  loadMicros: number[];
  /** Each load's CPU: this process (reading the export, the client) and the server's where readable. */
  loadCpuMicros: number[];
  /** Event time to the load's commit, for every row it loaded. */
  freshness: Histogram;
}

export function newCurateServeState(targets: readonly ServedTarget[]): CurateServeState {
  return {
    exportedThrough: null,
    runs: 0,
    curated: [],
    curateMicros: [],
    curateCpuMicros: [],
    curatedFreshness: newLatencyHistogram(),
    served: new Map(targets.map((target) => [target.engine, { loaded: 0, refused: 0, refusals: [], loadMicros: [], loadCpuMicros: [], freshness: newLatencyHistogram() }])),
  };
}

/** Records `doneMicros - eventTimeMicros` for the export's rows in which every `excluded` column is NULL. */
async function recordFreshness(reader: Warehouse, file: string, excluded: readonly string[], doneMicros: number, into: Histogram): Promise<void> {
  const result = await reader.connection.runAndReadAll(`SELECT "eventTimeMicros" AS t FROM read_parquet(${sqlString(file)}) WHERE ${nullIn(excluded)}`);
  for (const row of result.getRowObjectsJS()) recordMicros(into, doneMicros - Number(row.t));
}

/**
 * One run of the orchestrated step, as a scheduler (Airflow, a cron) would run it: curate what
 * landed since the last run into the Iceberg table, export what that commit added, and load it
 * into each warehouse. Each part's time is recorded; a warehouse's refusal is kept, not thrown.
 */
export async function curateAndServe(
  context: { engine: IcebergEngine; targets: readonly ServedTarget[]; reader: Warehouse; exportDir: string; clock: Clock },
  state: CurateServeState,
): Promise<void> {
  const { engine, clock } = context;
  const run = ++state.runs;
  const curateStarted = clock.nowMicros();
  const { value: curated, cpuMicros } = await metered([processCpu(engine.pid)], () => engine.curate());
  const curatedMicros = clock.nowMicros();
  state.curated.push(curated);
  state.curateMicros.push(curatedMicros - curateStarted);
  state.curateCpuMicros.push(cpuMicros);
  if (curated.snapshotId === null) return;
  const exported = await engine.exportSince(state.exportedThrough, join(context.exportDir, `run-${run}`));
  state.exportedThrough = exported.snapshotId;
  for (const file of exported.files) {
    await recordFreshness(context.reader, file, [], curatedMicros, state.curatedFreshness);
    for (const target of context.targets) {
      const served = state.served.get(target.engine)!;
      const started = clock.nowMicros();
      const { value: load, cpuMicros: loadCpu } = await metered([ownCpu, target.serverCpu], () => loadRefusing(target, file, context.reader));
      const loadedMicros = clock.nowMicros();
      served.loadMicros.push(loadedMicros - started);
      served.loadCpuMicros.push(loadCpu);
      served.loaded += load.loaded;
      served.refused += load.refused;
      for (const refusal of load.refusals) {
        const same = served.refusals.find((kept) => kept.column === refusal.column);
        if (same) same.rows += refusal.rows;
        else served.refusals.push({ ...refusal });
      }
      await recordFreshness(context.reader, file, load.refusals.map((refusal) => refusal.column), loadedMicros, served.freshness);
    }
  }
}
