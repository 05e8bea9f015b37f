import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';

/** A file written piece by piece, so that memory holds one stream buffer, not the file. */
export interface StreamedFile {
  /** Resolves once the stream can take more: a full buffer waits for the disk ('drain'). */
  write(text: string): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export function openStreamedFile(path: string): StreamedFile {
  const out = createWriteStream(path);
  // Kept for the next call: an 'error' emitted with nobody listening would end the process.
  let failure: Error | undefined;
  out.on('error', (error) => (failure ??= error));
  return {
    async write(text) {
      if (failure) throw failure;
      if (!out.write(text)) await once(out, 'drain');
    },
    async close() {
      if (failure) throw failure;
      out.end();
      await finished(out);
    },
  };
}

/** Writes `items` as one JSON array, the bytes JSON.stringify(items) + "\n" would give, an item at a time. */
export async function writeJsonArray(path: string, items: Iterable<unknown>): Promise<void> {
  function* pieces(): Generator<string> {
    let first = true;
    yield '[';
    for (const item of items) {
      yield first ? JSON.stringify(item) : `,${JSON.stringify(item)}`;
      first = false;
    }
    yield ']\n';
  }
  await pipeline(Readable.from(pieces()), createWriteStream(path));
}
