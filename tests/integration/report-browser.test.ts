import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumPath, screenshotReport } from '../../src/report/screenshot.ts';
import { writeReport } from '../../src/report/write.ts';
import { makeRunSummary } from '../unit/report/summary-builder.ts';
import { weekChartTitle } from '../../src/report/week-chart.ts';
import { weekSummary } from '../unit/report/week-summary.ts';
import { lakehouseSection } from '../unit/report/lakehouse-summary.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-it-report-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('report.html in a real browser (Debian Chromium via playwright-core)', () => {
  it('renders every chart with marks, and keeps a screenshot in the run folder', async () => {
    // A summary from the builder, with every section a run can have: faults too, marked on the latency chart.
    const faults = [
      { spec: 'kill:streaming@12s', tier: 'streaming' as const, atMicros: 1_764_000_012_000_000, recoveryMicros: 10_400_000 },
      { spec: 'kill:microbatch@12s', tier: 'microbatch' as const, atMicros: 1_764_000_012_000_000, recoveryMicros: 14_800_000 },
    ];
    const { html } = await writeReport(dir, makeRunSummary({ faults, lakehouse: lakehouseSection() }));
    const png = join(dir, 'report.png');
    const charts = await screenshotReport(html, png);
    // Latency, where the time goes, cost per tier, cost against volume, and the sensitivity tornado (the lakehouse section has tables only).
    expect(charts).toHaveLength(5);
    expect(charts.map((chart) => chart.title)).toContain('Sensitivity of the cost ratio to each assumption');
    for (const chart of charts) {
      expect(chart.width, chart.title).toBeGreaterThan(300);
      expect(chart.height, chart.title).toBeGreaterThan(80);
      expect(chart.marks, chart.title).toBeGreaterThan(2);
    }
    expect((await stat(png)).size).toBeGreaterThan(50_000);
  });

  it('hands the screenshot whole to the writer, so report.png is replaced at once or not at all', async () => {
    const { html } = await writeReport(dir, makeRunSummary());
    const png = join(dir, 'report.png');
    const before = await readFile(png);
    const written: Array<{ path: string; bytes: Uint8Array }> = [];
    await screenshotReport(html, png, async (path, bytes) => {
      written.push({ path, bytes });
    });
    expect(written.map(({ path }) => path)).toEqual([png]);
    // A PNG's signature: the writer got the picture, and nothing was written to the path beside it.
    expect(Buffer.from(written[0]!.bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    expect(await readFile(png)).toEqual(before);
  });

  it('draws the week of a Monday-morning read: seven nightly runs, one read, its staleness and the SLA, inside the chart', async () => {
    const weekDir = join(dir, 'week');
    await mkdir(weekDir, { recursive: true });
    const { html } = await writeReport(weekDir, weekSummary());
    const charts = await screenshotReport(html, join(weekDir, 'report.png'));
    // The five charts above, and the week after the latency chart.
    expect(charts).toHaveLength(6);
    const week = charts.find((chart) => chart.title === weekChartTitle)!;
    expect(week.width).toBeGreaterThan(900);
    expect(week.height).toBeGreaterThan(300);
    // Polylines and rects: the seven runs' bars and batch's curve behind the read (flat lines are <line>s).
    expect(week.marks).toBe(8);

    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(pathToFileURL(html).href);
      const chart = page.locator('svg.week-chart');
      await expect.poll(() => chart.count()).toBe(1);
      expect(await chart.locator('g.job-run').count()).toBe(7);
      expect(await chart.locator('g.read').count()).toBe(1);
      expect(await chart.locator('line.sla').count()).toBe(1);
      expect(await chart.locator('circle.staleness[data-tier="batch"]').count()).toBe(1);
      // Laid out by the browser: every mark has a size and lies within the chart, which fits a 1000 px page.
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(1000);
      for (const mark of [...(await chart.locator('g.job-run, g.read, circle.staleness, line.sla').all())]) {
        const at = (await mark.boundingBox())!;
        expect(at.width + at.height).toBeGreaterThan(0);
        expect(at.x).toBeGreaterThanOrEqual(box.x);
        expect(at.x + at.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
        expect(at.y).toBeGreaterThanOrEqual(box.y);
        expect(at.y + at.height).toBeLessThanOrEqual(box.y + box.height + 0.5);
      }
      // The Monday read sits on the guide line down from its mark: one read, one point, one instant.
      const read = (await chart.locator('g.read').boundingBox())!;
      const point = (await chart.locator('circle.staleness').boundingBox())!;
      expect(Math.abs(read.x + read.width / 2 - (point.x + point.width / 2))).toBeLessThan(1);
      await chart.screenshot({ path: join(weekDir, 'week.png') });
      expect((await stat(join(weekDir, 'week.png'))).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });

  it('lays out the lakehouse section: every zone, query, step, drift case, balance and cost in a table that fits the page', async () => {
    const lakeDir = join(dir, 'lakehouse');
    await mkdir(lakeDir, { recursive: true });
    const { html } = await writeReport(lakeDir, makeRunSummary({ lakehouse: lakehouseSection() }));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(pathToFileURL(html).href);
      const section = page.locator('section.lakehouse');
      await section.scrollIntoViewIfNeeded();
      expect(await section.locator('h2').innerText()).toBe('Lake, lakehouse, warehouse');
      expect(await section.locator('h3').allInnerTexts()).toEqual([
        'The scheduled steps: curate and load',
        'Schema drift and bad data',
        'Every record accounted for',
        'The data swamp',
        'What each option costs a year',
      ]);
      // Zones (two served), their queries, the steps, the drift cases, the balances, the swamp, the options and their lines: rows as the fixture has them.
      const rows = await section.locator('table').evaluateAll((tables) => tables.map((t) => t.querySelectorAll('tbody tr').length));
      expect(rows).toEqual([4, 12, 2, 4, 3, 5, 6, 18]);
      expect(await section.locator('p.reconciliation').innerText()).toContain('Nothing lost');
      const zoneRows = section.locator('table').first().locator('tbody tr');
      expect(await zoneRows.nth(2).innerText()).toMatch(/^served\tpostgresql\t/);
      expect(await zoneRows.nth(3).innerText()).toMatch(/^served\tduckdb-file\t/);
      expect(await zoneRows.nth(1).innerText()).toContain('≈ 790 ms');
      // The cost: options with their titles, read left to right; every assumption listed.
      const options = section.locator('table').nth(6);
      expect(await options.locator('tbody tr').first().innerText()).toMatch(/^lake-raw\tLake: raw NDJSON on S3/);
      expect(await options.locator('td:nth-child(2)').first().evaluate((td) => getComputedStyle(td).textAlign)).toBe('left');
      expect(await section.locator('ul li').count()).toBe(lakehouseSection().cost!.assumptions.length);
      // Laid out by the browser: nothing in the section is wider than the page's 980 px column or hidden.
      for (const table of await section.locator('table').all()) {
        expect(await table.isVisible()).toBe(true);
        const box = (await table.boundingBox())!;
        expect(box.width).toBeLessThanOrEqual(980);
        expect(box.height).toBeGreaterThan(40);
      }
      // The zone and step tables' figures stay on one line each: a row a line high, not a value broken in two.
      for (const figures of [section.locator('table').first(), section.locator('table').nth(2)]) {
        const heights = await figures.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
        for (const height of heights) expect(height).toBeLessThan(36);
      }
      await section.screenshot({ path: join(lakeDir, 'lakehouse.png') });
      expect((await stat(join(lakeDir, 'lakehouse.png'))).size).toBeGreaterThan(20_000);
    } finally {
      await browser.close();
    }
  });
});
