import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageAssets } from '../../../src/demo/assets.ts';
import { startDemo, type LiveDemo } from '../../../src/demo/run-demo.ts';
import type { DemoEvents } from '../../../src/demo/types.ts';
import type { FaultSpec } from '../../../src/harness/faults/spec.ts';
import type { LabRunOptions } from '../../../src/harness/lab-run.ts';
import { createLogger } from '../../../src/log.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import { makeRunSummary } from '../report/summary-builder.ts';

/** The demo server with a stand-in run (no services): what the browser test checks end to end, here in a second. */

/** The run's folder sits inside `outside`, next to a file no URL may reach: a path escaping the run folder would find it. */
const outside = await mkdtemp(join(tmpdir(), 'tierlab-demo-unit-'));
const dir = join(outside, 'results');
const secret = 'not-for-the-browser-7f3a';
await mkdir(dir);
await writeFile(join(outside, 'secret.txt'), secret);
let demo: LiveDemo;
let finishRun: () => void;
/** What the stand-in pass was asked to inject, as the harness would get it. */
const injected: FaultSpec[] = [];

beforeAll(async () => {
  const scenario = await loadScenario('demo', { quick: true });
  const ran = new Promise<void>((resolve) => (finishRun = resolve));
  demo = await startDemo({
    scenario,
    lab: { services: {} as LabRunOptions['services'], resultsDir: dir, faults: [{ kind: 'kill', tier: 'streaming', atMs: 5_000, text: 'kill:streaming@5s' }], logger: createLogger({ level: 'silent' }) },
    runLab: async (options) => {
      options.onStage?.('pass 1/1: batch, microbatch, streaming');
      // As run-tiers does while a stream runs: a kill goes in; these services cannot restart the broker.
      options.faultInbox?.open((fault) => {
        if (fault.kind === 'broker-restart') return 'broker-restart@0s: only native services this run started can be stopped and started again';
        injected.push(fault);
        return undefined;
      });
      options.onProgress?.({ phase: 'generating', produced: 100, generatorLagMicros: 50, tiers: [{ name: 'streaming', state: 'running', visible: 90, latestLatencyMicros: 4_000 }] }, 'pass 1/1');
      await ran;
      return { dir, summary: makeRunSummary() };
    },
    writeReport: (runDir) => writeFile(join(runDir, 'report.html'), '<html><title>report</title></html>'),
    assets: pageAssets(),
    host: '127.0.0.1',
    port: 0,
  });
});
afterAll(async () => {
  await demo?.close();
  await rm(outside, { recursive: true, force: true });
});

function fetchText(path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, demo.url), { method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A GET written to the socket byte for byte. node:http and fetch build the request line from
 * `new URL()`, which folds `..` and `%2e%2e` away before sending; only a raw line reaches the
 * server with the escape still in it.
 */
function rawGet(target: string): Promise<{ status: number; response: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(demo.url).port), '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
    );
    let response = '';
    socket.setEncoding('utf8').on('data', (c: string) => (response += c));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(response)?.[1] ?? 0), response }));
  });
}

/** Text of the files an escape would reach: this repository's package.json, /etc/passwd, the file next to the run folder. */
const leaks = [/"name": "tierlab"/, /^root:/m, new RegExp(secret)];

/** A tab: an event-stream connection that collects events until closed. */
function openTab(): Promise<{ events: Array<{ event: keyof DemoEvents; data: unknown }>; response: IncomingMessage; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = get(new URL('/api/stream', demo.url), (response) => {
      const events: Array<{ event: keyof DemoEvents; data: unknown }> = [];
      let buffer = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event: event as keyof DemoEvents, data: JSON.parse(data) });
        }
      });
      resolve({ events, response, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('the demo server', () => {
  it('serves the page, its modules with types stripped, and uPlot from node_modules', async () => {
    expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetchText('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('"uplot": "/vendor/uplot.js"');
    const main = await fetchText('/app/demo/page/main.ts');
    expect(main.type).toContain('text/javascript');
    expect(main.body).toContain('new EventSource');
    expect(main.body).not.toMatch(/import type|: DemoHello/);
    expect((await fetchText('/app/results/recommend.ts')).body).toContain('export function recommend(');
    expect((await fetchText('/vendor/uplot.js')).body).toContain('export { uPlot as default }');
  });

  it('answers 404 for anything else under src/ and for unknown paths; 405 for writes', async () => {
    for (const path of ['/nope', '/app/cli/main.ts', '/app/demo/server.ts', '/vendor/', '/run/report.html']) {
      expect((await fetchText(path)).status, path).toBe(404);
    }
    expect((await fetchText('/', 'POST')).status).toBe(405);
  });

  it('answers 404 to a raw request line that climbs out of the page, and sends nothing from outside it', async () => {
    // A raw request for a page module is served: a 404 below is the guard, not a request the helper broke.
    const served = await rawGet('/app/demo/page/main.ts');
    expect(served.status).toBe(200);
    expect(served.response).toContain('new EventSource');
    for (const target of [
      '/../../etc/passwd',
      '/app/../package.json',
      '/app/%2e%2e/package.json',
      // An encoded slash is not a segment break to the URL parser: these reach the file lookup with `..` inside.
      '/app/..%2fpackage.json',
      '/app/demo/page/..%2f..%2f..%2fpackage.json',
      '/app/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/app/%2fetc%2fpasswd',
      '//etc/passwd',
    ]) {
      const { status, response } = await rawGet(target);
      expect(status, target).toBe(404);
      for (const leak of leaks) expect(response, target).not.toMatch(leak);
    }
  });

  it("injects the page's faults into the running pass, and says why it cannot when it cannot", async () => {
    const post = (body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(new URL('/api/fault', demo.url), { method: 'POST' }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect(await post('kill:streaming')).toEqual({ status: 202, body: 'injected kill:streaming\n' });
    expect(injected.map((fault) => [fault.kind, fault.kind === 'kill' ? fault.tier : ''])).toEqual([['kill', 'streaming']]);
    expect(await post('broker-restart')).toMatchObject({ status: 409, body: expect.stringContaining('only native services') });
    expect(await post('kill:nobody')).toMatchObject({ status: 409, body: expect.stringContaining('unknown tier "nobody"') });
    expect(await post('rm -rf /')).toMatchObject({ status: 409, body: expect.stringContaining('the page can inject kill:TIER or broker-restart (got "rm -rf /")') });
    expect(await post('x'.repeat(500))).toMatchObject({ status: 413 });
    expect((await fetchText('/api/fault')).status).toBe(405);
    expect(injected).toHaveLength(1);
  });

  it('survives a malformed request', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(demo.url).port), '127.0.0.1', () => socket.write('BOGUS\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toContain('400');
    expect((await fetchText('/')).status).toBe(200);
  });

  it('streams to two tabs, drops a closed one, and ends with the answer and the report', async () => {
    const first = await openTab();
    const second = await openTab();
    await until(() => first.events.some((e) => e.event === 'tick') && second.events.some((e) => e.event === 'tick'));
    const hello = first.events[0]!;
    expect(hello.event).toBe('hello');
    expect(hello.data).toMatchObject({ tiers: ['batch', 'microbatch', 'streaming'], stages: ['pass 1/1: batch, microbatch, streaming'] });
    expect(JSON.parse((await fetchText('/api/health')).body)).toMatchObject({ tabs: 2, done: false });
    first.close();
    let tabs = 2;
    await until(() => {
      void fetchText('/api/health').then((health) => (tabs = (JSON.parse(health.body) as { tabs: number }).tabs));
      return tabs === 1;
    });
    const tick = second.events.find((e) => e.event === 'tick')!.data as DemoEvents['tick'];
    expect(tick.lanes.find((l) => l.name === 'streaming')).toMatchObject({ active: true, visible: 90, p50Micros: 4_000 });
    // The --fault is placed on the clock once its pass's stream has started.
    const placed = (markers: DemoEvents['faults']) => markers.some((marker) => marker.spec === 'kill:streaming@5s');
    expect(second.events.some((e) => (e.event === 'faults' && placed(e.data as DemoEvents['faults'])) || (e.event === 'hello' && placed((e.data as DemoEvents['hello']).faults)))).toBe(true);

    finishRun();
    await demo.run;
    await until(() => second.events.some((e) => e.event === 'final'));
    const final = second.events.find((e) => e.event === 'final')!.data as DemoEvents['final'];
    expect(final.recommendation).toEqual(makeRunSummary().recommendation);
    expect(final.reportHref).toBe('/run/report.html');
    expect((await fetchText(final.reportHref)).body).toContain('<title>report</title>');
    expect((await fetchText('/run/nothing.json')).status).toBe(404);
    // Raw request lines, so the escapes reach the run folder's guard (see rawGet); the report itself still comes back.
    expect(await rawGet('/run/report.html')).toMatchObject({ status: 200, response: expect.stringContaining('<title>report</title>') });
    for (const target of [
      '/run/../secret.txt',
      '/run/%2e%2e/secret.txt',
      '/run/..%2fsecret.txt',
      '/run/%2e%2e%2fsecret.txt',
      '/run/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/run/%2fetc%2fpasswd',
      '/run//etc/passwd',
    ]) {
      const { status, response } = await rawGet(target);
      expect(status, target).toBe(404);
      for (const leak of leaks) expect(response, target).not.toMatch(leak);
    }
    // A tab opened late gets the whole story in its hello.
    const late = await openTab();
    await until(() => late.events.length > 0);
    expect((late.events[0]!.data as DemoEvents['hello']).final?.runId).toBe(final.runId);
    late.close();
    second.close();
  });
});
