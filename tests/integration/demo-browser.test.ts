import { mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../src/report/screenshot.ts';
import type { RunSummary } from '../../src/results/summary.ts';
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
  // rebind.test resolves to the demo's address, as an attacker's name would after DNS rebinding.
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const closed = new Promise((resolve) => demo.on('close', resolve));
    demo.kill('SIGINT');
    await closed;
  }
});

/**
 * Sends one request line exactly as written, over a socket of its own: `new URL()` and
 * `http.request` would normalise `..` and `%2e%2e` away before sending, and the server's guard
 * against paths outside its folders would never be reached.
 */
function rawRequest(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      if (!status) reject(new Error(`no HTTP status line for ${method} ${path}: ${JSON.stringify(text.slice(0, 200))}`));
      else resolve({ status: Number(status[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
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
    // The first page of a fresh browser, its modules stripped of types on first request: a wait, not a speed (vitest's default poll gives up after 1 s).
    await expect.poll(() => page.locator('section.lane').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => page.locator('#title').textContent(), { timeout: 30_000 }).toBe('Browser test — three tiers, briefly');
    // Each lane is titled by the server (its tier, and its engine were it not the Node one).
    expect(await page.locator('section.lane h2').allTextContents()).toEqual(['batch', 'microbatch', 'streaming']);

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
    for (const path of ['/nope', '/app/cli/main.ts', '/app/../package.json', '/app/%2e%2e/package.json']) {
      expect((await rawRequest(path)).status, path).toBe(404);
    }
    expect((await rawRequest('/', 'DELETE')).status).toBe(405);
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write('NOT HTTP\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
    });
    expect(raw).toContain('400');

    // A ⚡ button: the page sends its Origin and the run's token (so the run itself answers: these
    // external services cannot be restarted, or no stream is running), and the button is disabled
    // until the answer comes (held back here so the test can see it).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/fault', async (route) => {
      await held;
      await route.continue();
    });
    const restart = page.locator('button[data-fault="broker-restart"]');
    await restart.click();
    await expect.poll(() => restart.isDisabled()).toBe(true);
    release();
    await expect.poll(() => page.locator('#fault-status').textContent()).toMatch(/only native services|no measured stream/);
    expect(await restart.isDisabled()).toBe(false);
    // Without the page's Origin and token, the same request is refused before the run hears of it.
    const { port } = new URL(url);
    const bare = await fetch(new URL('/api/fault', url), { method: 'POST', body: 'broker-restart' });
    expect(bare.status).toBe(403);
    const foreign = await fetch(new URL('/api/fault', url), { method: 'POST', body: 'broker-restart', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);

    // DNS rebinding: a page under another name that resolves here is not answered (421), so it never reads the token.
    const rebound = await browser.newPage();
    const answer = await rebound.goto(`http://rebind.test:${port}/`);
    expect(answer?.status()).toBe(421);
    expect(await rebound.content()).not.toContain('tierlab-token');
    await rebound.close();

    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('ends with the recommendation, moves it with the SLA control, and links the report', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    await page.goto(url);
    await page.locator('#done').waitFor({ state: 'visible', timeout: 120_000 });
    const summary = (await (await fetch(new URL('/run/summary.json', url))).json()) as RunSummary;
    for (const tier of ['batch', 'microbatch', 'streaming'] as const) expect(summary.tiers[tier]?.correct, `${tier}: ${stderr}`).toBe(true);
    // Now that the run's folder is served, a path out of it is refused (before, every /run/ path
    // was "not finished" whatever the guard did): the same raw request reaches a file inside it.
    expect((await rawRequest('/run/summary.json')).status).toBe(200);
    // The run's folder is results/tests/demo-browser/RUN/: four levels up is the repository's package.json.
    for (const path of ['/run/../../../../package.json', '/run/..%2f..%2f..%2f..%2fpackage.json', '/run/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json']) {
      const { status, body } = await rawRequest(path);
      expect(status, path).toBe(404);
      expect(body, path).not.toContain('"name": "tierlab"');
    }
    const recommendation = page.locator('#recommendation');
    // At the scenario's SLA the page says what the run's summary says: the same recommend().
    await expect.poll(() => recommendation.textContent()).toContain(summary.recommendation.why);
    await expect.poll(() => page.locator('section.lane[data-tier="streaming"] dd[data-field="cost"]').textContent()).toContain('projected');
    // The report's week chart, drawn by the server from the summary and sent with it: this scenario
    // reads continuously (no read marks) and gives batch a period with no phase (flat, no runs to mark).
    const week = page.locator('#week svg.week-chart');
    await expect.poll(() => week.count()).toBe(1);
    expect(await week.locator('line.sla').count()).toBe(1);
    expect(await week.locator('.staleness').count()).toBe(3);
    expect(await week.locator('g.read, g.job-run').count()).toBe(0);
    expect(await week.textContent()).toContain('no phase given: uniform model');
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
