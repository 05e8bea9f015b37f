import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredResult<T> {
  path: string;
  result: T;
}

/**
 * The newest results/<run-id>/FILE that parses and is accepted. Run ids start with a sortable UTC
 * timestamp, so the newest is the greatest name. A run without the file is passed over in
 * silence; an invalid one is passed over and told to `onSkip`, so a broken file never hides an
 * older good one, nor goes unnoticed.
 */
export async function newestResult<T>(
  resultsDir: string,
  fileName: string,
  parse: (text: string, path: string) => T,
  accept: (result: T) => boolean = () => true,
  onSkip: (path: string, error: unknown) => void = () => {},
): Promise<StoredResult<T> | undefined> {
  const entries = await readdir(resultsDir).catch(() => [] as string[]);
  for (const entry of entries.sort().reverse()) {
    const path = join(resultsDir, entry, fileName);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const result = parse(text, path);
      if (accept(result)) return { path, result };
    } catch (error) {
      onSkip(path, error);
    }
  }
  return undefined;
}
