import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshotReport } from '../../src/report/screenshot.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { writeReport } from '../../src/report/write.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-it-report-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('report.html in a real browser (Debian Chromium via playwright-core)', () => {
  it('renders every chart with marks, and keeps a screenshot in the run folder', async () => {
    const summary = JSON.parse(await readFile(new URL('../fixtures/summary.json', import.meta.url), 'utf8')) as RunSummary;
    const { html } = await writeReport(dir, summary);
    const png = join(dir, 'report.png');
    const charts = await screenshotReport(html, png);
    expect(charts).toHaveLength(4);
    for (const chart of charts) {
      expect(chart.width, chart.title).toBeGreaterThan(300);
      expect(chart.height, chart.title).toBeGreaterThan(80);
      expect(chart.marks, chart.title).toBeGreaterThan(2);
    }
    expect((await stat(png)).size).toBeGreaterThan(50_000);
  });
});
