import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const pins = new URL('../../../scripts/node24/', import.meta.url);
const json = async (path: string) => JSON.parse(await readFile(new URL(path, pins), 'utf8')) as Record<string, unknown>;

describe('the Node 24 that scripts/env.sh installs on an older machine (issue 19, item 7)', () => {
  it('is one exact release on every platform pinned, each tarball with its sha512 integrity in the lock', async () => {
    const platforms = (await readdir(pins)).sort();
    expect(platforms).toEqual(['linux-arm64', 'linux-x64']);
    const versions = new Set<string>();
    for (const platform of platforms) {
      const dependencies = (await json(`${platform}/package.json`)).dependencies as Record<string, string>;
      expect(Object.keys(dependencies)).toEqual([`node-${platform}`]);
      const version = dependencies[`node-${platform}`]!;
      expect(version).toMatch(/^24\.\d+\.\d+$/); // exact: no range for npm to resolve to something else
      const locked = ((await json(`${platform}/package-lock.json`)).packages as Record<string, { version?: string; integrity?: string }>)[`node_modules/node-${platform}`];
      expect(locked?.version).toBe(version);
      expect(locked?.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
      versions.add(version);
    }
    expect(versions.size).toBe(1);
  });
});
