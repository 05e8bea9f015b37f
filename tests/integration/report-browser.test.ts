import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { screenshotReport } from '../../src/report/screenshot.ts';
import { writeReport } from '../../src/report/write.ts';
import { makeRunSummary } from '../unit/report/summary-builder.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-it-report-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('report.html in a real browser (Debian Chromium via playwright-core)', () => {
  it('renders every chart with marks, and keeps a screenshot in the run folder', async () => {
    // A summary from the builder, with every section a run can have: faults too, marked on the latency chart.
    const faults = [
      { spec: 'kill:streaming@12s', tier: 'streaming' as const, atMicros: 1_764_000_012_000_000, recoveryMicros: 10_400_000 },
      { spec: 'kill:microbatch@12s', tier: 'microbatch' as const, atMicros: 1_764_000_012_000_000, recoveryMicros: 14_800_000 },
    ];
    const { html } = await writeReport(dir, makeRunSummary({ faults }));
    const png = join(dir, 'report.png');
    const charts = await screenshotReport(html, png);
    // Latency, where the time goes, cost per tier, cost against volume, and the sensitivity tornado.
    expect(charts).toHaveLength(5);
    expect(charts.map((chart) => chart.title)).toContain('Sensitivity of the cost ratio to each assumption');
    for (const chart of charts) {
      expect(chart.width, chart.title).toBeGreaterThan(300);
      expect(chart.height, chart.title).toBeGreaterThan(80);
      expect(chart.marks, chart.title).toBeGreaterThan(2);
    }
    expect((await stat(png)).size).toBeGreaterThan(50_000);
  });
});
