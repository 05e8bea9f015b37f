import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersion } from '../../../src/cli/version.ts';
import { isTierlabError } from '../../../src/errors.ts';

describe('tierlab --version', () => {
  it("is package.json's version", () => {
    const declared = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    expect(packageVersion()).toBe(declared);
  });

  it.each([['{"name":"tierlab"}', '/version is missing'], ['not json', 'is not JSON']])('fails with a named cause for %s', (text, message) => {
    let error: unknown;
    try {
      packageVersion(() => text);
    } catch (e) {
      error = e;
    }
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    expect((error as Error).message).toContain(message);
  });
});
