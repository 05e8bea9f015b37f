import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../../src/demo/host.ts';
import { contentTypeOf, fileUnder } from '../../../src/demo/paths.ts';

describe('fileUnder (the run folder served read-only)', () => {
  const root = '/srv/results/run-1';
  it('maps a path inside the folder', () => {
    expect(fileUnder(root, '/report.html')).toBe('/srv/results/run-1/report.html');
    expect(fileUnder(root, '/a%20b.md')).toBe('/srv/results/run-1/a b.md');
  });
  it('refuses anything that leaves it, however spelled', () => {
    for (const path of ['/../run-2/summary.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '/a/../../x', '/%00', '/%E0%A4%A', '/..\\..\\x', '/', '']) {
      expect(fileUnder(root, path), path).toBeUndefined();
    }
  });
  it('names content types', () => {
    expect(contentTypeOf('/x/report.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('/x/page.ts')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('/x/blob')).toBe('application/octet-stream');
  });
});

describe('isLoopback (--host warns otherwise)', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '128.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });
});
