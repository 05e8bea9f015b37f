import { mkdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../src/report/screenshot.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { startCli } from './cli.ts';

/**
 * `tierlab demo` end to end: a real (short) run on the shared services, its page in Debian's
 * Chromium through playwright-core, and the server's edges (two tabs, a closed one, bad requests).
 * The run folder, with the page's screenshot (demo.png) beside report.html, is kept under
 * results/tests/demo-browser/ as the test's artefact.
 */

const scenario = new URL('./fixtures/demo-browser.yaml', import.meta.url).pathname;
const out = new URL('../../results/tests/demo-browser/', import.meta.url).pathname;
let demo: ReturnType<typeof startCli>;
let url: string;
let stderr = '';
let browser: Browser;

beforeAll(async () => {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // Side by side (the demo's default), no warm-up: the quickest run that still shows all three tiers.
  // The shared services, as external ones, whatever mode this shell asked the setup for.
  demo = startCli(['demo', scenario, '--port', '0', '--no-warmup', '--out', out], { env: { TIERLAB_SERVICES_MODE: 'external' } });
  demo.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    demo.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const found = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    demo.on('close', (code) => reject(new Error(`tierlab demo exited (${code}) before serving:\n${stdout}\n${stderr}`)));
  });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const closed = new Promise((resolve) => demo.on('close', resolve));
    demo.kill('SIGINT');
    await closed;
  }
});

function fetchStatus(path: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function tabs(): Promise<number> {
  const response = await fetch(new URL('/api/health', url));
  return ((await response.json()) as { tabs: number }).tabs;
}

describe('tierlab demo in a real browser (Debian Chromium via playwright-core)', () => {
  it('serves on loopback, streams lanes that move, and survives bad requests, two tabs and a closed one', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    await expect.poll(() => page.locator('section.lane').count()).toBe(3);
    await expect.poll(() => page.locator('#title').textContent()).toBe('Browser test — three tiers, briefly');

    // The lanes update: the streaming lane's count of visible events moves from one second to the next.
    const visible = () => page.locator('section.lane[data-tier="streaming"] dd[data-field="visible"]').textContent();
    await expect.poll(visible, { timeout: 60_000 }).toMatch(/[1-9][\d,]* so far/);
    const before = await visible();
    await expect.poll(visible, { timeout: 10_000 }).not.toBe(before);

    // A second tab gets the same stream; closing it is noticed, and the first goes on.
    const second = await browser.newPage();
    await second.goto(url);
    await expect.poll(tabs).toBe(2);
    await second.close();
    await expect.poll(tabs).toBe(1);

    // Bad requests: a 404 or 405, never a crash (the page keeps updating below).
    for (const path of ['/nope', '/app/cli/main.ts', '/app/../package.json', '/run/..%2f..%2fpackage.json']) expect(await fetchStatus(path), path).toBe(404);
    expect(await fetchStatus('/', 'DELETE')).toBe(405);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write('NOT HTTP\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toContain('400');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('ends with the recommendation, moves it with the SLA control, and links the report', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.goto(url);
    await page.locator('#done').waitFor({ state: 'visible', timeout: 120_000 });
    const summary = (await (await fetch(new URL('/run/summary.json', url))).json()) as RunSummary;
    for (const tier of ['batch', 'microbatch', 'streaming'] as const) expect(summary.tiers[tier]?.correct, `${tier}: ${stderr}`).toBe(true);
    const recommendation = page.locator('#recommendation');
    // At the scenario's SLA the page says what the run's summary says: the same recommend().
    await expect.poll(() => recommendation.textContent()).toContain(summary.recommendation.why);
    await expect.poll(() => page.locator('section.lane[data-tier="streaming"] dd[data-field="cost"]').textContent()).toContain('projected');
    await page.screenshot({ path: join(out, summary.runId, 'demo.png'), fullPage: true });

    // Seven days: the nightly batch job is in; 1 ms: nothing is.
    await page.locator('#sla').fill('1000');
    await expect.poll(() => recommendation.getAttribute('data-tier')).toBe('batch');
    await page.locator('#sla').fill('0');
    await expect.poll(() => recommendation.getAttribute('data-tier')).toBe('none');
    expect(await recommendation.textContent()).toContain('No tier meets the SLA of 1.00 ms');

    // The report, served by the same server.
    await page.locator('#report-link').click();
    await page.waitForURL(/\/run\/report\.html$/);
    await expect.poll(() => page.locator('svg.chart').count()).toBeGreaterThan(2);
    expect(await page.locator('body').textContent()).toContain(summary.runId);
    await page.close();
  }, 150_000);
});
