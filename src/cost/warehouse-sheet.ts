import { fileURLToPath } from 'node:url';
import type { SchemaObject } from 'ajv';
import { loadDataFile } from '../datafiles/load.ts';

/**
 * The warehouse price sheet (bench/pricing/warehouses.yaml): the dollar prices of Snowflake,
 * BigQuery, Redshift Serverless and a self-run warehouse's disk, the vendors' billing rules
 * (terms), and our own constants (assumptions), for the lakehouse scenario's $/year
 * (src/cost/lakehouse.ts). Every price and term names its source, the date it was read, and
 * whether it was verified; every assumption says why.
 */
export const warehousePriceNames = [
  'snowflakeCreditUsd',
  'snowflakeStorageTbMonth',
  'bigqueryOnDemandTib',
  'bigqueryActiveLogicalGibMonth',
  'bigqueryLongTermLogicalGibMonth',
  'redshiftRpuHour',
  'redshiftStorageGbMonth',
  'ebsGp3GbMonth',
] as const;
export type WarehousePriceName = (typeof warehousePriceNames)[number];

export const warehouseTermNames = [
  'snowflakeXsmallCreditsPerHour',
  'snowflakeMinimumSecondsPerResume',
  'bigqueryFreeTibPerMonth',
  'bigqueryMinimumMibPerQuery',
  'bigqueryLongTermAfterDays',
  'redshiftMinimumBaseRpu',
  'redshiftMinimumSecondsPerQuery',
] as const;
export type WarehouseTermName = (typeof warehouseTermNames)[number];

export const lakehouseAssumptionNames = [
  'retentionDays',
  'dashboardWindowDays',
  'snowflakeAutoSuspendSeconds',
  'redshiftBaseRpu',
  'warehouseQuerySecondsOverMeasured',
  'columnarBytesOverCurated',
  'logicalBytesOverServed',
  'selfRunDiskOverData',
  'queryWorkerUtilisation',
  'jobMinimumBilledSeconds',
] as const;
export type LakehouseAssumptionName = (typeof lakehouseAssumptionNames)[number];

/** Where a figure came from: its page, the day it was read there, and whether it was seen exactly. */
export interface Sourced {
  unit: string;
  source: string;
  /** YYYY-MM-DD. */
  read: string;
  /** Where exactly the figure was seen, or why it could not be. */
  note: string;
  verified: boolean;
}

export interface WarehousePrice extends Sourced {
  usd: number;
}

export interface WarehouseTerm extends Sourced {
  value: number;
}

export interface LakehouseAssumption {
  value: number;
  why: string;
}

export interface WarehousePriceSheet {
  name: string;
  read: string;
  prices: Record<WarehousePriceName, WarehousePrice>;
  terms: Record<WarehouseTermName, WarehouseTerm>;
  assumptions: Record<LakehouseAssumptionName, LakehouseAssumption>;
}

export const defaultWarehouseSheetPath = fileURLToPath(new URL('../../bench/pricing/warehouses.yaml', import.meta.url));

const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const sourced = {
  unit: { type: 'string', minLength: 1 },
  source: { type: 'string', pattern: '^https://' },
  read: date,
  note: { type: 'string', minLength: 1 },
  verified: { type: 'boolean' },
} as const;
const sourcedRequired = ['unit', 'source', 'read', 'note', 'verified'];

const price: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['usd', ...sourcedRequired],
  properties: { usd: { type: 'number', minimum: 0 }, ...sourced },
};
const term: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['value', ...sourcedRequired],
  properties: { value: { type: 'number', exclusiveMinimum: 0 }, ...sourced },
};
const assumption = (value: object): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: ['value', 'why'],
  properties: { value, why: { type: 'string', minLength: 1 } },
});
const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const assumptionValues: Record<LakehouseAssumptionName, object> = {
  retentionDays: positive,
  dashboardWindowDays: positive,
  snowflakeAutoSuspendSeconds: { type: 'number', minimum: 0 },
  redshiftBaseRpu: positive,
  warehouseQuerySecondsOverMeasured: positive,
  columnarBytesOverCurated: positive,
  logicalBytesOverServed: positive,
  selfRunDiskOverData: { type: 'number', minimum: 1 },
  queryWorkerUtilisation: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  jobMinimumBilledSeconds: { type: 'number', minimum: 0 },
};

const record = (names: readonly string[], item: (name: string) => SchemaObject): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: [...names],
  properties: Object.fromEntries(names.map((name) => [name, item(name)])),
});

export const warehouseSheetSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'read', 'prices', 'terms', 'assumptions'],
  properties: {
    name: { type: 'string', minLength: 1 },
    read: date,
    prices: record(warehousePriceNames, () => price),
    terms: record(warehouseTermNames, () => term),
    assumptions: record(lakehouseAssumptionNames, (name) => assumption(assumptionValues[name as LakehouseAssumptionName])),
  },
};

/** Reads and validates the sheet; a bad field fails with BAD_DATA_FILE naming its JSON pointer and value. */
export function loadWarehouseSheet(path = defaultWarehouseSheetPath): Promise<WarehousePriceSheet> {
  return loadDataFile<WarehousePriceSheet>(path, warehouseSheetSchema);
}
