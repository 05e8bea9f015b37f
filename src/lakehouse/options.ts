import type { SchemaObject } from 'ajv';

/** A scenario's `lakehouse` section: how its stream is landed, curated, served and asked. */
export interface LakehouseOptions {
  /** The raw zone's delivery buffer: an object per partition at least this often (Firehose's buffering interval, compressed). */
  landFlushMs: number;
  /** The orchestrated curate-then-serve step runs this often while the stream flows, and once after. */
  curateEveryMs: number;
  /** Timed runs of each dashboard query per zone, after one untimed run. */
  queryRuns: number;
  /** How many keys the dashboard's top-N lists. */
  topN: number;
}

export const defaultLakehouseOptions: LakehouseOptions = { landFlushMs: 5_000, curateEveryMs: 15_000, queryRuns: 5, topN: 10 };

const wholeMs = { type: 'integer', minimum: 100, maximum: 3_600_000 } as const;

export const lakehouseOptionsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    landFlushMs: wholeMs,
    curateEveryMs: wholeMs,
    queryRuns: { type: 'integer', minimum: 1, maximum: 100 },
    topN: { type: 'integer', minimum: 1, maximum: 1_000 },
  },
};
