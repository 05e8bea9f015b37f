import type { OutgoingRecord } from './driver/index.ts';
import { aggregateKey, type WindowAggregate } from '../events/index.ts';
import { packedHeader, watermarkHeader, type WindowPosition } from './result-format.ts';

/*
 * A packed record (packedHeader) carries many windows' results at once (micro-batch's trigger writes). Its
 * value is a JSON array of `[aggregate, partition, next]`: each window with the position it had
 * been applied through; the watermark header, when present, is the one for all of them.
 *
 * Why: a trigger at 10,000 events/s writes ~17,000 windows. One record each cost the trigger
 * ~200 ms of client work per write (encoding, two headers and a partition hash per record, and
 * the garbage they leave), which is most of what micro-batch adds beyond its interval; packed
 * ~64 KB to a record, the same windows are ~35 records. A trigger's output is one delivery, as a
 * file per batch is for Spark or Firehose. The cost: readers unpack, and the results topic can no
 * longer be compacted down to one value per window (each packed record's key is unique).
 */

/** A packed record's value stops growing past this: a produce request of `packedRecordsPerRequest` stays well under the broker's 1 MiB. */
export const packedRecordBytes = 64 * 1024;
/** Packed records per produce request (the micro-batch producer's maxRecordsPerRequest). */
export const packedRecordsPerRequest = 8;

export interface PackedWindow extends WindowPosition {
  readonly window: WindowAggregate;
}

/**
 * The windows as records of up to ~packedRecordBytes each. `keyPrefix` must be unique to the
 * writer (a worker's id): keys must never repeat, or compaction could drop a record that still
 * holds some window's newest value. Each record's entries are encoded in one JSON.stringify
 * (measured faster than one call per window); how many go in one is judged from the windows
 * encoded so far, and halved while a record comes out too large.
 */
export function packedResultMessages(windows: Iterable<PackedWindow>, keyPrefix: string, watermark?: string): OutgoingRecord[] {
  const entries: Array<[WindowAggregate, number, number]> = [];
  for (const { window, partition, next } of windows) entries.push([window, partition, next]);
  if (entries.length === 0) return [];
  const headers = (count: number): Record<string, string> =>
    watermark === undefined ? { [packedHeader]: String(count) } : { [packedHeader]: String(count), [watermarkHeader]: watermark };
  const records: OutgoingRecord[] = [];
  // Aimed a tenth below the limit, so that a record of slightly longer windows is rarely encoded twice.
  const aim = (bytesPerEntry: number) => Math.max(1, Math.floor((0.9 * packedRecordBytes) / bytesPerEntry));
  let perRecord = aim(JSON.stringify(entries[0]).length + 1);
  for (let from = 0; from < entries.length; ) {
    let count = Math.min(perRecord, entries.length - from);
    let value = JSON.stringify(entries.slice(from, from + count));
    while (value.length > packedRecordBytes && count > 1) {
      count = Math.ceil(count / 2);
      value = JSON.stringify(entries.slice(from, from + count));
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

/** A packed record's windows; a clear error when its value is not what packedResultMessages writes. */
export function unpackResults(value: string, where: string): UnpackedWindow[] {
  const parsed: unknown = JSON.parse(value);
  if (!Array.isArray(parsed)) throw new Error(`packed result ${where} is not a JSON array`);
  return parsed.map((entry: unknown, i) => {
    if (!Array.isArray(entry) || entry.length !== 3 || !Number.isInteger(entry[1]) || !Number.isInteger(entry[2])) {
      throw new Error(`packed result ${where}, entry ${i}: expected [aggregate, partition, next], got ${JSON.stringify(entry)?.slice(0, 120)}`);
    }
    const aggregate = entry[0] as WindowAggregate;
    return { id: aggregateKey(aggregate), aggregate, position: { partition: entry[1] as number, next: entry[2] as number } };
  });
}
