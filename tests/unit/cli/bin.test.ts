import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const bin = readFileSync(new URL('../../../bin/tierlab.js', import.meta.url), 'utf8');
const code = bin.replace(/^\s*\/\/.*$/gm, ''); // comments may say anything

describe('bin/tierlab.js', () => {
  // It must parse on the old Node it is there to rescue (tests/integration/front-door.test.ts runs it on one).
  it.each([
    ['optional chaining', /\?\.[\w([]/],
    ['nullish coalescing', /\?\?/],
    ['logical assignment', /(\|\||&&)=/],
    ['top-level await', /^await\b/m],
    ['private fields', /#\w+/],
  ])('uses no %s (newer than Node 14)', (_, pattern) => {
    expect(code).not.toMatch(pattern);
  });

  it('loads the TypeScript CLI only after the Node version check', () => {
    const staticImports = [...code.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(staticImports.every((specifier) => specifier!.startsWith('node:'))).toBe(true);
    expect(code).toContain("import('../src/cli/main.ts')");
  });
});
