import type { OutgoingRecord } from './driver/index.ts';
import { aggregateKey, type WindowAggregate } from '../events/index.ts';
import { packedHeader, watermarkHeader, type WindowPosition } from './result-format.ts';

/*
 * A packed record (packedHeader) carries many windows' results at once (micro-batch's trigger
 * writes). Its value is one JSON object of columns, the i-th window in the i-th place of each:
 * `{ key, windowStartMicros, count, sumCents, flags: { RULE: [...] }, partition, next }`, where
 * `partition`/`next` is the position each window had been applied through; the watermark header,
 * when present, is the one for all of them. A flag a window lacks is null in its column.
 *
 * Why: a trigger at 10,000 events/s writes ~17,000 windows. One record each cost the trigger
 * ~190 ms of client work (p50, one hand run on 2 shared cores: encoding, two headers and a
 * partition hash per record, and the garbage they leave), most of what micro-batch adds beyond
 * its interval; ~64 KB to a record, the same windows are a few dozen records, and in columns
 * they are about a third of the bytes of one JSON object per window (0.9 against 2.5 MB in a probe
 * of 17,000 windows of the demo's shape), with no field names repeated. A
 * trigger's output is one delivery, as a file per batch is for Spark or Firehose. The cost:
 * readers unpack, and the results topic can no longer be compacted down to one value per window
 * (each packed record's key is unique).
 */

/** A packed record's value stops growing past this: a produce request of `packedRecordsPerRequest` stays well under the broker's 1 MiB. */
export const packedRecordBytes = 64 * 1024;
/** Packed records per produce request (the micro-batch producer's maxRecordsPerRequest): 12 x 64 KB, even all on one partition, is under 1 MiB. */
export const packedRecordsPerRequest = 12;

export interface PackedWindow extends WindowPosition {
  readonly window: WindowAggregate;
}

interface Columns {
  key: string[];
  windowStartMicros: number[];
  count: number[];
  sumCents: number[];
  flags: Record<string, Array<number | null>>;
  partition: number[];
  next: number[];
}

function columnsOf(windows: readonly PackedWindow[]): Columns {
  const columns: Columns = { key: [], windowStartMicros: [], count: [], sumCents: [], flags: {}, partition: [], next: [] };
  windows.forEach(({ window, partition, next }, i) => {
    columns.key.push(window.key);
    columns.windowStartMicros.push(window.windowStartMicros);
    columns.count.push(window.count);
    columns.sumCents.push(window.sumCents);
    columns.partition.push(partition);
    columns.next.push(next);
    for (const name in window.flags) (columns.flags[name] ??= new Array<number | null>(i).fill(null))[i] = window.flags[name]!;
  });
  // A flag first met after the first window, or missing from a later one, is null where it is absent.
  for (const column of Object.values(columns.flags)) for (let i = 0; i < windows.length; i++) column[i] ??= null;
  return columns;
}

/**
 * The windows as records of up to ~packedRecordBytes each. `keyPrefix` must be unique to the
 * writer (a worker's id): keys must never repeat, or compaction could drop a record that still
 * holds some window's newest value. How many windows go in one record is judged from those
 * encoded so far, and halved while a record comes out too large.
 */
export function packedResultMessages(windows: Iterable<PackedWindow>, keyPrefix: string, watermark?: string): OutgoingRecord[] {
  const all = [...windows];
  if (all.length === 0) return [];
  const headers = (count: number): Record<string, string> =>
    watermark === undefined ? { [packedHeader]: String(count) } : { [packedHeader]: String(count), [watermarkHeader]: watermark };
  const records: OutgoingRecord[] = [];
  // Aimed a tenth below the limit, so that a record of slightly longer windows is rarely encoded twice.
  const aim = (bytesPerWindow: number) => Math.max(1, Math.floor((0.9 * packedRecordBytes) / bytesPerWindow));
  let perRecord = aim(JSON.stringify(all[0]!.window).length);
  for (let from = 0; from < all.length; ) {
    let count = Math.min(perRecord, all.length - from);
    let value = JSON.stringify(columnsOf(all.slice(from, from + count)));
    while (value.length > packedRecordBytes && count > 1) {
      count = Math.ceil(count / 2);
      value = JSON.stringify(columnsOf(all.slice(from, from + count)));
    }
    records.push({ key: `${keyPrefix}|${records.length}`, value, headers: headers(count) });
    from += count;
    perRecord = aim(value.length / count);
  }
  return records;
}

export interface UnpackedWindow {
  /** The window's id, as an unpacked record's key: `key|windowStartMicros`. */
  id: string;
  aggregate: WindowAggregate;
  position: WindowPosition;
}

const numberColumns = ['windowStartMicros', 'count', 'sumCents', 'partition', 'next'] as const;

/** A packed record's windows; a clear error naming the record and the column when its value is not what packedResultMessages writes. */
export function unpackResults(value: string, where: string): UnpackedWindow[] {
  const parsed = JSON.parse(value) as Partial<Columns> | null;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Array.isArray(parsed.key)) {
    throw new Error(`packed result ${where} is not an object of columns with a "key" array`);
  }
  const n = parsed.key.length;
  for (const column of numberColumns) {
    if (!Array.isArray(parsed[column]) || parsed[column].length !== n) throw new Error(`packed result ${where}: column "${column}" is not an array of ${n}`);
  }
  const flags = Object.entries(parsed.flags ?? {});
  for (const [name, column] of flags) {
    if (!Array.isArray(column) || column.length !== n) throw new Error(`packed result ${where}: flag column "${name}" is not an array of ${n}`);
  }
  const c = parsed as Columns;
  const windows: UnpackedWindow[] = [];
  for (let i = 0; i < n; i++) {
    const aggregate: WindowAggregate = { key: c.key[i]!, windowStartMicros: c.windowStartMicros[i]!, count: c.count[i]!, sumCents: c.sumCents[i]!, flags: {} };
    for (const [name, column] of flags) if (column[i] !== null) aggregate.flags[name] = column[i]!;
    windows.push({ id: aggregateKey(aggregate), aggregate, position: { partition: c.partition[i]!, next: c.next[i]! } });
  }
  return windows;
}
