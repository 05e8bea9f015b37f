import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pageAssets } from '../../../src/demo/assets.ts';

describe('the page assets', () => {
  it('keeps one cache entry, and reads once, per file however its path is spelt', async () => {
    const reads: string[] = [];
    const assets = pageAssets({
      readFile: (file) => {
        reads.push(file);
        return readFile(file, 'utf8');
      },
    });
    const spellings = ['/app/demo/page/main.ts', '/app/demo/page/%6Dain.ts', '/app/demo//page/main.ts', '/app/demo/page/./main.ts', '/app/demo/x/../page/main.ts'];
    // One after another: a read in progress is not a cache entry yet, and concurrent first requests may each read.
    for (const path of spellings) expect((await assets(path))?.body, path).toContain('new EventSource');
    for (const path of spellings) await assets(path);
    expect(reads).toHaveLength(1);
  });

  it('caches nothing it does not serve', async () => {
    const reads: string[] = [];
    const assets = pageAssets({ readFile: async (file) => (reads.push(file), '') });
    for (const path of ['/app/demo/server.ts', '/app/cli/main.ts', '/nope', '/app/%2e%2e/package.json']) expect(await assets(path), path).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it('serves every module the page imports, all the way down: a value import of a module it does not serve would leave the page blank', async () => {
    const assets = pageAssets();
    const seen = new Set<string>();
    const missing: string[] = [];
    const visit = async (path: string, from: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const asset = await assets(path);
      if (!asset) {
        missing.push(`${path} (imported by ${from})`);
        return;
      }
      // What the browser will fetch: the imports left after the types are stripped.
      for (const [, specifier] of String(asset.body).matchAll(/^\s*import\s[^;]*?from\s+'([^']+)'/gm)) {
        if (specifier!.startsWith('.')) await visit(new URL(specifier!, `http://page${path}`).pathname, path);
      }
    };
    await visit('/app/demo/page/main.ts', 'index.html');
    expect(missing).toEqual([]);
    expect(seen.has('/app/results/recommend.ts')).toBe(true);
  });
});
