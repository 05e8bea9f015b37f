import { TierlabError } from '../errors.ts';
import {
  alwaysOnWorker,
  basisOf,
  billedBytes,
  billedSeconds,
  daysPerYear,
  monthsPerYear,
  scheduledJob,
  storageLine,
  type Busy,
} from './lakehouse-billing.ts';
import type { CostLine } from './price-parts.ts';
import type { PriceSheet } from './price-sheet.ts';
import type { WarehousePriceSheet } from './warehouse-sheet.ts';

/**
 * The lakehouse scenario's $/year (issue 21): the same events and the same dashboard, kept and
 * queried as raw NDJSON on S3 (DuckDB), as a curated Iceberg table on S3 (Spark), or in a
 * warehouse (Snowflake, BigQuery, Redshift Serverless, or the lab's own served engine run on an
 * always-on server). Measured per zone: bytes per row kept, bytes scanned and seconds per
 * refresh; per step: CPU and wall seconds per event. Everything else is a price or an
 * assumption of the two sheets, listed in `assumptions`.
 */

/** What the run measured of one zone, as summary.json's `lakehouse.zones[]` has it. */
export interface LakehouseZoneUsage {
  /** Bytes the zone keeps: its objects on S3, or the database's files. */
  storageBytes: number;
  /** Rows (raw: lines) the zone held when it was measured and queried. */
  rows: number;
  /** Bytes each dashboard query of one refresh scanned (`queries[].bytesScanned`). */
  queryBytesScanned: number[];
  /** Wall seconds of one refresh: the queries' p50s added (`queryP50Micros` / 1e6). */
  refreshWallSeconds: number;
  /** CPU seconds the zone's engine spent on one refresh. */
  refreshCpuSeconds: number;
  /** S3 requests of one refresh, for a zone on S3; left out, its requests are not priced (and the assumptions say so). */
  refreshS3Requests?: { get: number; list: number };
}

/** What the run measured of one scheduled step (the curation into Iceberg, the load into the warehouse). */
export interface LakehouseStepUsage {
  /** CPU seconds of the measured runs. */
  cpuSeconds: number;
  /** Wall seconds of the measured runs: what a warehouse that bills time while running is billed. */
  wallSeconds: number;
  /** Events (rows) those runs processed. */
  events: number;
  /** How often the step runs in production: the scenario's schedule. */
  runsPerDay: number;
}

export interface LakehouseCostInputs {
  /** The AWS sheet: S3, and the Fargate vCPU and memory prices for workers and jobs. */
  aws: PriceSheet;
  warehouses: WarehousePriceSheet;
  eventsPerDay: number;
  /** Dashboard refreshes a day, from the scenario's reads (every minute: 1,440). */
  refreshesPerDay: number;
  raw: LakehouseZoneUsage;
  curated: LakehouseZoneUsage;
  /** The served zone, and which engine served it (postgresql, duckdb-file): the self-run option runs that. */
  served: LakehouseZoneUsage & { engine: string };
  curation: LakehouseStepUsage;
  load: LakehouseStepUsage;
}

export const lakehouseOptions = ['lake-raw', 'lakehouse-iceberg', 'warehouse-snowflake', 'warehouse-bigquery', 'warehouse-redshift', 'warehouse-self-run'] as const;
export type LakehouseOption = (typeof lakehouseOptions)[number];

export interface LakehouseOptionCost {
  option: LakehouseOption;
  title: string;
  usdPerYear: number;
  /** The measured lines' dollars over the total. */
  measuredShare: number;
  lines: CostLine[];
}

export interface LakehouseCost {
  options: LakehouseOptionCost[];
  /** Every price, term and assumption used, as sentences for the report. */
  assumptions: string[];
}

const GB = 1e9;
const TB = 1e12;
const GiB = 2 ** 30;
const TiB = 2 ** 40;
const MiB = 2 ** 20;

function checkInputs(inputs: LakehouseCostInputs): void {
  const bad = (field: string, value: unknown, why: string) => {
    throw new TierlabError('BAD_INPUT', `lakehouse cost: ${field} ${why} (got ${JSON.stringify(value)})`, { details: { field, value } });
  };
  if (!(inputs.eventsPerDay >= 0)) bad('eventsPerDay', inputs.eventsPerDay, 'must be a number >= 0');
  if (!(inputs.refreshesPerDay >= 0)) bad('refreshesPerDay', inputs.refreshesPerDay, 'must be a number >= 0');
  for (const zone of ['raw', 'curated', 'served'] as const) {
    // Every figure of a zone is taken per row, so a zone that held none measured nothing.
    if (!(inputs[zone].rows > 0)) bad(`${zone}.rows`, inputs[zone].rows, 'must be > 0: bytes and seconds are scaled per row');
  }
  for (const step of ['curation', 'load'] as const) {
    if (!(inputs[step].events > 0)) bad(`${step}.events`, inputs[step].events, 'must be > 0: its seconds are scaled per event');
  }
}

/** $/year of each option at `eventsPerDay`, from what the lakehouse run measured. */
export function projectLakehouseCosts(inputs: LakehouseCostInputs): LakehouseCost {
  checkInputs(inputs);
  const { aws, warehouses, eventsPerDay, refreshesPerDay, raw, curated, served, curation, load } = inputs;
  const { prices, terms } = warehouses;
  const a = Object.fromEntries(Object.entries(warehouses.assumptions).map(([name, x]) => [name, x.value])) as Record<keyof WarehousePriceSheet['assumptions'], number>;

  /** Bytes a zone keeps at production: its measured bytes per row, a day's rows, the retention. */
  const kept = (zone: LakehouseZoneUsage, ratio = 1) => (zone.storageBytes / zone.rows) * ratio * eventsPerDay * a.retentionDays;
  // A refresh at production reads a day's rows for each day it covers; the lab's refresh read the rows
  // the zone held. Bytes, seconds and requests per refresh are taken to grow in proportion.
  const rawScale = (eventsPerDay * a.retentionDays) / raw.rows;
  const windowScale = (zone: LakehouseZoneUsage) => (eventsPerDay * a.dashboardWindowDays) / zone.rows;
  const perEvent = (step: LakehouseStepUsage, value: number) => value / step.events;

  const s3Requests = (zone: LakehouseZoneUsage, scale: number, name: string): CostLine[] => {
    if (!zone.refreshS3Requests) return [];
    const { get, list } = zone.refreshS3Requests;
    const perDay = (count: number) => count * scale * refreshesPerDay;
    const usd = (perDay(list) / 1000) * aws.prices.s3PutPer1000.usd + (perDay(get) / 1000) * aws.prices.s3GetPer1000.usd;
    return [{ name, usdPerYear: usd * daysPerYear, basis: 'measured' }];
  };
  const rawStorage = storageLine('raw storage (S3)', kept(raw), GB, aws.prices.s3StorageGbMonth.usd);

  const lake: CostLine[] = [
    rawStorage,
    ...alwaysOnWorker(aws, raw.refreshCpuSeconds * rawScale * refreshesPerDay, a.queryWorkerUtilisation, 'query worker (DuckDB)'),
    ...s3Requests(raw, rawScale, 'S3 requests (raw queries)'),
  ];

  const curationCpuPerDay = perEvent(curation, curation.cpuSeconds) * eventsPerDay;
  const lakehouse: CostLine[] = [
    rawStorage,
    storageLine('curated storage (S3)', kept(curated), GB, aws.prices.s3StorageGbMonth.usd),
    scheduledJob(aws, curationCpuPerDay, curation.runsPerDay, a.jobMinimumBilledSeconds, 'curation compute (Spark)'),
    ...alwaysOnWorker(aws, curated.refreshCpuSeconds * windowScale(curated) * refreshesPerDay, a.queryWorkerUtilisation, 'query worker (Spark)'),
    ...s3Requests(curated, windowScale(curated), 'S3 requests (curated queries)'),
  ];

  // A managed warehouse is billed for the time its queries and loads run there: the served engine's
  // measured seconds, at production size, times the assumed speed of the warehouse against it.
  const warehouseBusy: Busy[] = [
    { perDay: refreshesPerDay, seconds: served.refreshWallSeconds * windowScale(served) * a.warehouseQuerySecondsOverMeasured },
    { perDay: load.runsPerDay, seconds: (perEvent(load, load.wallSeconds) * eventsPerDay * a.warehouseQuerySecondsOverMeasured) / Math.max(1, load.runsPerDay) },
  ];

  const snowflakeTime = billedSeconds(warehouseBusy, terms.snowflakeMinimumSecondsPerResume.value, a.snowflakeAutoSuspendSeconds);
  const snowflakeHourUsd = terms.snowflakeXsmallCreditsPerHour.value * prices.snowflakeCreditUsd.usd;
  const snowflake: CostLine[] = [
    storageLine('Snowflake storage', kept(curated, a.columnarBytesOverCurated), TB, prices.snowflakeStorageTbMonth.usd),
    { name: 'Snowflake warehouse (X-Small)', usdPerYear: (snowflakeTime.billed / 3600) * snowflakeHourUsd * daysPerYear, basis: basisOf(snowflakeTime.used, snowflakeTime.floor) },
  ];

  const logical = kept(served, a.logicalBytesOverServed) / a.retentionDays; // bytes a day adds
  const longTermAfter = terms.bigqueryLongTermAfterDays.value;
  const scanned = billedBytes(
    served.queryBytesScanned.map((bytes) => bytes * windowScale(served) * a.logicalBytesOverServed),
    terms.bigqueryMinimumMibPerQuery.value * MiB,
  );
  const tibPerMonth = (scanned.billed * refreshesPerDay * (daysPerYear / monthsPerYear)) / TiB;
  const billedTibPerMonth = Math.max(0, tibPerMonth - terms.bigqueryFreeTibPerMonth.value);
  const bigquery: CostLine[] = [
    storageLine('BigQuery storage (active)', logical * Math.min(a.retentionDays, longTermAfter), GiB, prices.bigqueryActiveLogicalGibMonth.usd),
    storageLine('BigQuery storage (long-term)', logical * Math.max(0, a.retentionDays - longTermAfter), GiB, prices.bigqueryLongTermLogicalGibMonth.usd),
    { name: 'BigQuery queries (on demand)', usdPerYear: billedTibPerMonth * prices.bigqueryOnDemandTib.usd * monthsPerYear, basis: basisOf(scanned.used, scanned.floor) },
  ];

  const redshiftTime = billedSeconds(warehouseBusy, terms.redshiftMinimumSecondsPerQuery.value);
  const redshift: CostLine[] = [
    storageLine('Redshift managed storage', kept(curated, a.columnarBytesOverCurated), GB, prices.redshiftStorageGbMonth.usd),
    {
      name: `Redshift Serverless compute (${a.redshiftBaseRpu} RPU)`,
      usdPerYear: (redshiftTime.billed / 3600) * a.redshiftBaseRpu * prices.redshiftRpuHour.usd * daysPerYear,
      basis: basisOf(redshiftTime.used, redshiftTime.floor),
    },
  ];

  const servedCpuPerDay = served.refreshCpuSeconds * windowScale(served) * refreshesPerDay + perEvent(load, load.cpuSeconds) * eventsPerDay;
  const selfRun: CostLine[] = [
    ...alwaysOnWorker(aws, servedCpuPerDay, a.queryWorkerUtilisation, `warehouse server (${served.engine})`),
    storageLine('warehouse disk (EBS gp3)', kept(served, a.selfRunDiskOverData), GB, prices.ebsGp3GbMonth.usd),
  ];

  const titles: Record<LakehouseOption, [string, CostLine[]]> = {
    'lake-raw': ['Lake: raw NDJSON on S3, queried by DuckDB on an always-on worker', lake],
    'lakehouse-iceberg': ['Lakehouse: raw kept on S3, curated by Spark into Iceberg on S3, queried by Spark', lakehouse],
    'warehouse-snowflake': ['Warehouse: Snowflake (Standard, X-Small, on demand)', snowflake],
    'warehouse-bigquery': ['Warehouse: BigQuery (on-demand queries, logical storage)', bigquery],
    'warehouse-redshift': ['Warehouse: Redshift Serverless', redshift],
    'warehouse-self-run': [`Warehouse: ${served.engine} run on an always-on server with an EBS disk`, selfRun],
  };
  const options = lakehouseOptions.map((option) => {
    const [title, lines] = titles[option];
    const usdPerYear = lines.reduce((sum, line) => sum + line.usdPerYear, 0);
    const measured = lines.filter((line) => line.basis === 'measured').reduce((sum, line) => sum + line.usdPerYear, 0);
    return { option, title, usdPerYear, measuredShare: usdPerYear > 0 ? measured / usdPerYear : 0, lines };
  });
  return { options, assumptions: lakehouseAssumptions(inputs) };
}

/** Every price, term and assumption the projection used, and what it leaves out, in words. */
export function lakehouseAssumptions(inputs: Pick<LakehouseCostInputs, 'warehouses' | 'raw' | 'curated'>): string[] {
  const sheet = inputs.warehouses;
  const sourced = (name: string, figure: string, entry: { unit: string; source: string; read: string; note: string; verified: boolean }) =>
    `${name}: ${figure} ${entry.unit} (${entry.source}, read ${entry.read}; ${entry.verified ? 'verified' : 'NOT verified: totals that use it carry that doubt'}; ${entry.note})`;
  return [
    `Warehouse prices: ${sheet.name}, sheet read ${sheet.read}; S3 and Fargate prices from the AWS sheet.`,
    'A line is "measured" when the use this run measured (bytes per row, bytes scanned, seconds per refresh or per event) exceeds what the service would bill with no use at all; "assumed" when a minimum (billed seconds or bytes, an idle window before suspending, the smallest worker) sets it.',
    'A refresh at production size reads a day of rows per day it covers: its bytes, seconds and requests are the lab\'s per row read, times those rows.',
    'The raw zone is read whole by every refresh: its objects are named by Kafka offsets, not by date, so a query cannot prune them by event time.',
    'The warehouse options price the warehouse alone (its storage, queries and loads), not a lake beside it; the lakehouse option keeps the raw zone as well as the curated table.',
    'BigQuery batch loads are free and are not priced; its storage is billed as logical bytes, long-term for the days past the long-term threshold (a table partitioned by day).',
    ...(inputs.raw.refreshS3Requests && inputs.curated.refreshS3Requests ? [] : ['S3 requests of the zones whose requests per refresh were not measured are not priced.']),
    ...Object.entries(sheet.assumptions).map(([name, x]) => `${name} = ${x.value} (assumed): ${x.why}`),
    ...Object.entries(sheet.terms).map(([name, t]) => sourced(name, String(t.value), t)),
    ...Object.entries(sheet.prices).map(([name, p]) => sourced(name, `$${p.usd}`, p)),
  ];
}
