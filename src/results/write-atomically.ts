import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes a result file so that a reader, or a run killed half-way, only ever sees the old file or
 * the whole new one: the data goes to a temporary file beside it, is flushed to disk (fsync), and
 * is renamed over the target (atomic within one file system); the folder is then flushed too, so
 * the rename survives a power cut. The folder is made if need be: a run makes its folder only
 * when it has a result to put there.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array | AsyncIterable<string | Uint8Array>, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${randomBytes(6).toString('hex')}.partial`);
  try {
    const file = await open(temporary, 'wx', options.mode ?? 0o644);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Writes DIR/NAME as indented JSON with a final newline, atomically (creating DIR), and returns its path. */
export async function writeJsonResult(dir: string, name: string, value: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
