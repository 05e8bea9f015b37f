import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { rowsToParquet, type FlatRow } from '../../lake/parquet.ts';
import { openWarehouse } from '../../warehouse/duckdb.ts';
import { flattenEvent } from '../codec.ts';
import type { GeneratedRecord } from '../generator.ts';
import type { EventSink } from '../open-loop.ts';
import { recordPayload } from './kafka.ts';

export interface FileEventSink extends EventSink {
  /** sha256 of events.ndjson, known once closed. */
  readonly sha256: () => string;
  readonly paths: { ndjson: string; parquet: string };
}

/**
 * Writes events.ndjson (every record, malformed ones included, one per line) and, on close,
 * events.parquet (the valid events, flattened: seq, key, eventTimeMicros, amountCents, attributes).
 */
export async function openFileEventSink(dir: string): Promise<FileEventSink> {
  await mkdir(dir, { recursive: true });
  const paths = { ndjson: join(dir, 'events.ndjson'), parquet: join(dir, 'events.parquet') };
  const out = createWriteStream(paths.ndjson);
  const hash = createHash('sha256');
  const rows: FlatRow[] = [];
  let digest = '';
  return {
    paths,
    sha256: () => digest,
    async send(records: GeneratedRecord[]) {
      let chunk = '';
      for (const record of records) {
        chunk += `${recordPayload(record)}\n`;
        if (record.valid) rows.push(flattenEvent(record.event));
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    },
    async close() {
      out.end();
      await once(out, 'finish');
      digest = hash.digest('hex');
      const warehouse = await openWarehouse();
      try {
        await writeFile(paths.parquet, rows.length > 0 ? await rowsToParquet(warehouse.connection, rows) : '');
      } finally {
        warehouse.close();
      }
    },
  };
}
