import { readFile, stat } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ClientBase } from 'pg';
import { compareAggregates, windowAggregateOf, type Clock, type DatasetProfile, type WindowAggregate } from '../events/index.ts';
import type { LakehouseZoneName, SwampCount } from '../results/lakehouse.ts';
import { openWarehouse } from '../warehouse/duckdb.ts';
import { stageKeys } from '../warehouse/stage.ts';
import { sdkObjectGetter } from '../lake/object-getter.ts';
import { dashboardQueries, dashboardQueryNames, type DashboardQueryName } from './dashboard-queries.ts';
import { duckdbScanBasis, queryDuckdbZone, rawZoneRelation } from './duckdb-zone.ts';
import type { IcebergEngine } from './iceberg/engine.ts';
import { postgresScanBasis, queryPostgresZone } from './postgres-zone.ts';
import type { RawLanderStats } from './raw-lander.ts';
import { servedTable } from './serve.ts';
import { metered, processCpu } from './cpu-meter.ts';
import { SwampCounter } from './swamp.ts';
import { zoneQuery, type QueryRuns, type ZoneAnswers } from './zone-queries.ts';

export interface ZoneMeasure {
  zone: LakehouseZoneName;
  engine: string;
  answers: ZoneAnswers;
  storageBytes: number;
  scanBasis: string;
  rows: number;
  matchesGroundTruth: boolean;
}

export interface AskedZones {
  raw: ZoneMeasure;
  curated: ZoneMeasure;
  served: ZoneMeasure[];
  swamp: SwampCount;
}

export interface AskContext {
  s3: S3Client;
  bucket: string;
  stagingDir: string;
  lander: RawLanderStats;
  engine: IcebergEngine;
  pg: ClientBase;
  /** The warehouse server's pid where it runs on this machine (native): its CPU is then measured. */
  warehousePid?: number | undefined;
  /** The served DuckDB database, closed by its writer. */
  servedFile: string;
  profile: DatasetProfile;
  windowMs: number;
  topN: number;
  truth: WindowAggregate[];
  runs: QueryRuns;
  clock: Clock;
}

export const icebergScanBasis = "Iceberg's scan report: the data files planned after partition and column-statistics pruning, their bytes";

/** The point lookup asks for the busiest window of the stream: a key and window every zone has, deterministic for a seed. */
function busiestWindow(truth: readonly WindowAggregate[]): { key: string; windowStartMicros: number } {
  const busiest = truth.reduce<WindowAggregate | undefined>((best, window) => (!best || window.count > best.count ? window : best), undefined);
  return busiest ? { key: busiest.key, windowStartMicros: busiest.windowStartMicros } : { key: '', windowStartMicros: 0 };
}

const agrees = (truth: WindowAggregate[], answers: ZoneAnswers) => compareAggregates(truth, answers.rows.aggregate.map(windowAggregateOf)).equal;

/** Every zone asked the same three queries; the raw zone's lines are also counted for a swamp's signs. */
export async function askEveryZone(context: AskContext): Promise<AskedZones> {
  const params = { windowMs: context.windowMs, rules: context.profile.rules, topN: context.topN, point: busiestWindow(context.truth) };
  const timing = { ...context.runs, clock: context.clock };

  const files = await stageKeys(sdkObjectGetter(context.s3), context.bucket, context.lander.objects.map((object) => object.key), context.stagingDir);
  const swamp = new SwampCounter(context.profile);
  for (const file of files) {
    swamp.addFile();
    for (const line of (await readFile(file, 'utf8')).split('\n')) if (line !== '') swamp.addLine(line);
  }
  const rawAnswers = await queryDuckdbZone(() => openWarehouse(), dashboardQueries(rawZoneRelation(files, context.profile), params), timing);

  const curatedSql = dashboardQueries(context.engine.ready.table, params);
  const jvmCpu = processCpu(context.engine.pid);
  const curatedAnswers: ZoneAnswers = { queries: [], cpuMicros: 0, cpuBasis: jvmCpu ? 'measured' : 'assumed', rows: { aggregate: [], topN: [], pointLookup: [] } };
  for (const name of dashboardQueryNames) {
    const ask = () => context.engine.query({ name, sql: curatedSql[name], repeats: context.runs.runs, warmups: context.runs.warmups, maxRows: 10_000_000 });
    const { value: answer, cpuMicros } = await metered([jvmCpu], ask);
    // The engine runs the warm-ups and the timed runs in one command: its CPU is shared out over all of them.
    curatedAnswers.cpuMicros += jvmCpu ? cpuMicros / (context.runs.runs + context.runs.warmups) : answer.micros.reduce((sum, m) => sum + m, 0) / answer.micros.length;
    curatedAnswers.queries.push(zoneQuery(name as DashboardQueryName, answer.micros, answer.bytesScanned, answer.rowCount));
    curatedAnswers.rows[name] = answer.rows;
  }
  const table = await context.engine.stats();

  const servedSql = dashboardQueries(`"${servedTable}"`, params);
  const pgAnswers = await queryPostgresZone(context.pg, servedSql, { ...timing, serverCpu: processCpu(context.warehousePid) });
  const pgStorage = Number((await context.pg.query<{ bytes: string }>(`SELECT pg_total_relation_size('"${servedTable}"') AS bytes`)).rows[0]!.bytes);
  const pgRows = Number((await context.pg.query<{ n: string }>(`SELECT count(*) AS n FROM "${servedTable}"`)).rows[0]!.n);
  const duckdbAnswers = await queryDuckdbZone(() => openWarehouse(context.servedFile), servedSql, timing);
  const duckdbRows = await (async () => {
    const db = await openWarehouse(context.servedFile);
    try {
      return Number((await db.connection.runAndReadAll(`SELECT count(*) AS n FROM "${servedTable}"`)).getRowObjectsJS()[0]!.n);
    } finally {
      db.close();
    }
  })();

  return {
    raw: {
      zone: 'raw',
      engine: 'duckdb-ndjson',
      answers: rawAnswers,
      storageBytes: context.lander.bytes,
      scanBasis: duckdbScanBasis,
      rows: context.lander.lines,
      matchesGroundTruth: agrees(context.truth, rawAnswers),
    },
    curated: {
      zone: 'curated',
      engine: 'spark-iceberg',
      answers: curatedAnswers,
      storageBytes: table.storageBytes,
      scanBasis: icebergScanBasis,
      rows: table.records,
      matchesGroundTruth: agrees(context.truth, curatedAnswers),
    },
    served: [
      { zone: 'served', engine: 'postgresql', answers: pgAnswers, storageBytes: pgStorage, scanBasis: postgresScanBasis, rows: pgRows, matchesGroundTruth: agrees(context.truth, pgAnswers) },
      {
        zone: 'served',
        engine: 'duckdb-file',
        answers: duckdbAnswers,
        storageBytes: (await stat(context.servedFile)).size,
        scanBasis: duckdbScanBasis,
        rows: duckdbRows,
        matchesGroundTruth: agrees(context.truth, duckdbAnswers),
      },
    ],
    swamp: swamp.count(),
  };
}
