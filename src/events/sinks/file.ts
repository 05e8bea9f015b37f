import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ndjsonToParquet } from '../../lake/parquet.ts';
import { openWarehouse } from '../../warehouse/duckdb.ts';
import { flattenEvent } from '../codec.ts';
import type { GeneratedRecord } from '../generator.ts';
import type { EventSink } from '../open-loop.ts';
import { recordPayload } from './kafka.ts';
import { openStreamedFile } from './streamed-file.ts';

export interface FileEventSink extends EventSink {
  /** sha256 of events.ndjson, known once closed. */
  readonly sha256: () => string;
  readonly paths: { ndjson: string; parquet: string };
}

/**
 * Writes events.ndjson (every record, malformed ones included, one per line) and, on close,
 * events.parquet (the valid events, flattened: seq, key, eventTimeMicros, amountCents, attributes).
 * Both are streamed: each send is written before the next is taken (waiting on the disk when the
 * stream's buffer is full), the flattened rows to a file beside the output that DuckDB encodes on
 * close, so a billion events need no more memory than a thousand.
 */
export async function openFileEventSink(dir: string): Promise<FileEventSink> {
  await mkdir(dir, { recursive: true });
  const paths = { ndjson: join(dir, 'events.ndjson'), parquet: join(dir, 'events.parquet') };
  const flatPath = join(dir, '.events.flat.ndjson');
  const events = openStreamedFile(paths.ndjson);
  const flat = openStreamedFile(flatPath);
  const hash = createHash('sha256');
  let valid = 0;
  let digest = '';
  return {
    paths,
    sha256: () => digest,
    async send(records: GeneratedRecord[]) {
      let chunk = '';
      let rows = '';
      for (const record of records) {
        chunk += `${recordPayload(record)}\n`;
        if (!record.valid) continue;
        rows += `${JSON.stringify(flattenEvent(record.event))}\n`;
        valid++;
      }
      hash.update(chunk);
      await Promise.all([events.write(chunk), flat.write(rows)]);
    },
    async close() {
      try {
        await Promise.all([events.close(), flat.close()]);
        digest = hash.digest('hex');
        if (valid === 0) return await writeFile(paths.parquet, '');
        const warehouse = await openWarehouse();
        try {
          await ndjsonToParquet(warehouse.connection, flatPath, paths.parquet);
        } finally {
          warehouse.close();
        }
      } finally {
        await rm(flatPath, { force: true });
      }
    },
  };
}
