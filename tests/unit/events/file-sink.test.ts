import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSource, loadDataset, type GeneratedRecord } from '../../../src/events/index.ts';
import { openFileEventSink } from '../../../src/events/sinks/file.ts';
import { writeJsonArray } from '../../../src/events/sinks/streamed-file.ts';
import { openWarehouse, sqlString } from '../../../src/warehouse/duckdb.ts';
import { heldBytes } from '../heap.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-file-sink-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the file sink of `tierlab generate --to file`', () => {
  it('holds none of the events it has written: memory stays flat over 200,000, and the Parquet holds every valid one', async () => {
    const source = new EventSource(await loadDataset('payments'), 5);
    const sink = await openFileEventSink(join(dir, 'many'));
    let valid = 0;
    let cents = 0;
    const send = async (first: number) => {
      const records: GeneratedRecord[] = [];
      for (let i = 0; i < 10_000; i++) records.push(source.next((first + i) * 1_000));
      for (const record of records) {
        if (!record.valid) continue;
        valid++;
        cents += record.event.amountCents;
      }
      await sink.send(records, 0);
    };
    await send(0);
    const before = heldBytes();
    for (let first = 10_000; first < 200_000; first += 10_000) await send(first);
    const grown = heldBytes() - before;
    // Each event kept as a flattened row took some 130 bytes: 25 MB for these 190,000.
    expect(grown).toBeLessThan(4_000_000);
    await sink.close();

    const warehouse = await openWarehouse();
    try {
      const reader = await warehouse.connection.runAndReadAll(`SELECT count(*)::DOUBLE, sum(amountCents)::DOUBLE FROM read_parquet(${sqlString(sink.paths.parquet)})`);
      expect(reader.getRows()[0]).toEqual([valid, cents]);
    } finally {
      warehouse.close();
    }
    expect((await readFile(sink.paths.ndjson, 'utf8')).split('\n')).toHaveLength(200_001);
    // The flattened rows were staged beside the output, and are gone.
    await expect(access(join(dir, 'many', '.events.flat.ndjson'))).rejects.toThrow();
  });

  it('writes an empty events.parquet when no event is valid, as before', async () => {
    const sink = await openFileEventSink(join(dir, 'none'));
    await sink.close();
    expect(await readFile(sink.paths.parquet, 'utf8')).toBe('');
    expect(sink.sha256()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('writeJsonArray', () => {
  it('writes the bytes JSON.stringify would, an item at a time', async () => {
    for (const items of [[], [{ a: 1 }], [{ key: 'k', flags: { x: 0 } }, 2, 'three', null]]) {
      const path = join(dir, `array-${items.length}.json`);
      await writeJsonArray(path, items);
      expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify(items)}\n`);
    }
  });
});
