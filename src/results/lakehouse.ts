import type { JSONSchemaType } from 'ajv';

/**
 * summary.json's `lakehouse` section (docs/outputs.md): the stream landed raw in the lake, curated
 * into an Iceberg table, and served to a warehouse, each zone asked the same dashboard queries.
 * The names `zones`, `drift`, `reconciled` and the zone fields are the contract; the rest is added.
 */
export const lakehouseZoneNames = ['raw', 'curated', 'served'] as const;
export type LakehouseZoneName = (typeof lakehouseZoneNames)[number];

export const driftVerdicts = ['accepted', 'evolved', 'rejected'] as const;
export type DriftVerdict = (typeof driftVerdicts)[number];

export interface ZoneQuery {
  /** aggregate (the batch tier's), topN, pointLookup: src/lakehouse/dashboard-queries.ts. */
  name: string;
  /** Timed runs, after untimed warm-up runs. */
  runs: number;
  p50Micros: number;
  p99Micros: number;
  bytesScanned: number;
  /** Rows the query returned. */
  rows: number;
}

export interface LakehouseZone {
  zone: LakehouseZoneName;
  /** What serves the zone: duckdb-ndjson, spark-iceberg, postgresql, duckdb-file. */
  engine: string;
  /** The dashboard's three queries, their p50s added: one refresh of the dashboard. */
  queryP50Micros: number;
  /** The three queries' p99s added: an upper bound of a refresh's p99. */
  queryP99Micros: number;
  /** Bytes the three queries read, added (how each engine counts them: `scanBasis`). */
  bytesScanned: number;
  /** What the zone keeps on its storage: objects in S3, or the database's files. */
  storageBytes: number;
  /** Event time to queryable in this zone, p50 over the events with a readable event time. */
  freshnessP50Micros: number;
  freshnessP99Micros: number;
  /** How bytesScanned was counted: the engine's own figure, or an upper bound the lab derives. */
  scanBasis: string;
  /** The step that made the zone's data queryable (land, curate, load), p50 of its runs. */
  loadP50Micros: number;
  loadRuns: number;
  /** Rows the zone holds (raw: lines). */
  rows: number;
  /** Whether the zone's aggregate equals the generator's ground truth. */
  matchesGroundTruth: boolean;
  /** CPU of one refresh by the zone's engine (its process, or this one for an embedded DuckDB). */
  refreshCpuMicros: number;
  /** assumed: the engine's process was not this machine's to read, and the refresh's wall time stands in. */
  cpuBasis: 'measured' | 'assumed';
  queries: ZoneQuery[];
}

/** A scheduled step's measured runs, all added: the curation into Iceberg, or the load into the first warehouse. */
export interface LakehouseStep {
  runs: number;
  wallMicros: number;
  cpuMicros: number;
  /** Lines (curate) or rows (load) the runs took. */
  rows: number;
}

/** $/year of keeping and querying the stream each way, projected to the scenario's volume (src/cost/lakehouse.ts). */
export interface LakehouseCostSummary {
  eventsPerDay: number;
  refreshesPerDay: number;
  options: Array<{ option: string; title: string; usdPerYear: number; measuredShare: number; lines: Array<{ name: string; usdPerYear: number; basis: 'measured' | 'assumed' }> }>;
  assumptions: string[];
}

export interface LakehouseDrift {
  /** new-field, renamed-field, type-change, malformed-json (src/events/drift.ts). */
  case: string;
  raw: DriftVerdict;
  curated: DriftVerdict;
  served: DriftVerdict;
  /** Records of this case the generator produced. */
  records: number;
  /** Why a zone refused it, as that zone said it (a dead letter's reason, the warehouse's error). */
  reasons: Record<string, string>;
}

export interface LakehouseCounts {
  produced: number;
  /** Lines in the raw zone. */
  raw: number;
  /** Rows in the curated table. */
  curated: number;
  /** Lines the curation sent to its dead letters. */
  deadLettered: number;
  /** Rows in the warehouse. */
  served: number;
  /** Curated rows the warehouse refused (schema on write). */
  refusedByWarehouse: number;
}

/** A data swamp's signs, counted in the raw zone. */
export interface SwampCount {
  /** Top-level or attribute fields no dataset documents, with the lines that carry them. */
  undocumentedFields: Array<{ field: string; lines: number }>;
  /** Lines whose event (seq) is already in the zone. */
  duplicateLines: number;
  /** Lines that are not a JSON object. */
  unparseableLines: number;
  /** Raw objects no catalog describes (every NDJSON object; the curated zone's files are in Iceberg's manifests). */
  filesWithoutSchema: number;
}

export interface LakehouseSummary {
  zones: LakehouseZone[];
  drift: LakehouseDrift[];
  /** raw = produced, curated + dead-lettered = raw, served + refused = curated: nothing lost. */
  reconciled: boolean;
  counts: LakehouseCounts;
  swamp: SwampCount;
  steps: { curate: LakehouseStep; load: LakehouseStep };
  /** Absent when a zone held no rows to project from. */
  cost?: LakehouseCostSummary;
}

const count = { type: 'integer', minimum: 0 } as const;
const micros = { type: 'number', minimum: 0 } as const;
const verdict = { type: 'string', enum: [...driftVerdicts] } as const;

const zoneQuery: JSONSchemaType<ZoneQuery> = {
  type: 'object',
  required: ['name', 'runs', 'p50Micros', 'p99Micros', 'bytesScanned', 'rows'],
  properties: { name: { type: 'string' }, runs: count, p50Micros: micros, p99Micros: micros, bytesScanned: count, rows: count },
};

const zone: JSONSchemaType<LakehouseZone> = {
  type: 'object',
  required: [],
  properties: {
    zone: { type: 'string', enum: [...lakehouseZoneNames] },
    engine: { type: 'string', minLength: 1 },
    queryP50Micros: micros,
    queryP99Micros: micros,
    bytesScanned: count,
    storageBytes: count,
    freshnessP50Micros: micros,
    freshnessP99Micros: micros,
    scanBasis: { type: 'string' },
    loadP50Micros: micros,
    loadRuns: count,
    rows: count,
    matchesGroundTruth: { type: 'boolean' },
    refreshCpuMicros: micros,
    cpuBasis: { type: 'string', enum: ['measured', 'assumed'] },
    queries: { type: 'array', items: zoneQuery },
  },
};

const drift: JSONSchemaType<LakehouseDrift> = {
  type: 'object',
  required: [],
  properties: {
    case: { type: 'string' },
    raw: verdict,
    curated: verdict,
    served: verdict,
    records: count,
    reasons: { type: 'object', required: [], additionalProperties: { type: 'string' } },
  },
};

const step: JSONSchemaType<LakehouseStep> = {
  type: 'object',
  required: [],
  properties: { runs: count, wallMicros: micros, cpuMicros: micros, rows: count },
};

const basis = { type: 'string', enum: ['measured', 'assumed'] } as const;

const cost: JSONSchemaType<LakehouseCostSummary> = {
  type: 'object',
  required: [],
  properties: {
    eventsPerDay: micros,
    refreshesPerDay: micros,
    options: {
      type: 'array',
      items: {
        type: 'object',
        required: [],
        properties: {
          option: { type: 'string' },
          title: { type: 'string' },
          usdPerYear: micros,
          measuredShare: { type: 'number', minimum: 0, maximum: 1 },
          lines: {
            type: 'array',
            items: { type: 'object', required: [], properties: { name: { type: 'string' }, usdPerYear: micros, basis } },
          },
        },
      },
    },
    assumptions: { type: 'array', items: { type: 'string' } },
  },
};

/** Checked against LakehouseSummary; summary-schema.ts makes every field not marked nullable required. */
export const lakehouseSchema: JSONSchemaType<LakehouseSummary> = {
  type: 'object',
  required: [],
  properties: {
    zones: { type: 'array', items: zone },
    drift: { type: 'array', items: drift },
    reconciled: { type: 'boolean' },
    counts: {
      type: 'object',
      required: [],
      properties: { produced: count, raw: count, curated: count, deadLettered: count, served: count, refusedByWarehouse: count },
    },
    swamp: {
      type: 'object',
      required: [],
      properties: {
        undocumentedFields: {
          type: 'array',
          items: { type: 'object', required: [], properties: { field: { type: 'string' }, lines: count } },
        },
        duplicateLines: count,
        unparseableLines: count,
        filesWithoutSchema: count,
      },
    },
    steps: { type: 'object', required: [], properties: { curate: step, load: step } },
    cost: { ...cost, nullable: true },
  },
};
