import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageAssets } from '../../../src/demo/assets.ts';
import { DemoHub } from '../../../src/demo/hub.ts';
import { startDemo, type LiveDemo } from '../../../src/demo/run-demo.ts';
import { createDemoServer, listen } from '../../../src/demo/server.ts';
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
/** The stand-in run's progress callback, for a test to move the run on. */
let progressTo: LabRunOptions['onProgress'];

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
      progressTo = options.onProgress;
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

/** A request with the headers given (Host included: node:http sends the one it is told). */
function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, demo.url), { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      let body = '';
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.setEncoding('utf8').on('data', (c: string) => {
        body += c;
        // An event stream does not end: its first event is enough.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end(init.body);
  });
}

const origin = () => new URL(demo.url).origin;
const tokenIn = (html: string) => /<meta name="tierlab-token" content="([^"]*)">/.exec(html)?.[1] ?? '';
/** The token as the page gets it: from the page. */
const pageToken = async () => tokenIn((await send('/')).body);

/** POST /api/fault as a page would: with the Host, Origin and token given (none unless given, bar the Host). */
async function postFault(spec: string, from: { host?: string; origin?: string; token?: string }): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {};
  if (from.host !== undefined) headers.host = from.host;
  if (from.origin !== undefined) headers.origin = from.origin;
  if (from.token !== undefined) headers['x-tierlab-token'] = from.token;
  const { status, body } = await send('/api/fault', { method: 'POST', headers, body: spec });
  return { status, body };
}

/**
 * A GET written to the socket byte for byte. node:http and fetch build the request line from
 * `new URL()`, which folds `..` and `%2e%2e` away before sending; only a raw line reaches the
 * server with the escape still in it.
 */
function rawGet(target: string): Promise<{ status: number; response: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(demo.url).port), '127.0.0.1', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${new URL(demo.url).host}\r\nConnection: close\r\n\r\n`),
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

  it('serves the run\'s token in the page only, fresh for each server and never cached', async () => {
    const page = await send('/');
    expect(page.headers['cache-control']).toBe('no-store');
    const token = tokenIn(page.body);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenIn((await send('/')).body)).toBe(token);
    expect((await send('/app/demo/page/main.ts')).body).not.toContain(token);
    expect((await send('/api/health')).body).not.toContain(token);
  });

  it('answers only for the bound host:port: 421 for any other Host (a rebound name), on every path', async () => {
    const { port } = new URL(demo.url);
    for (const host of [`evil.example:${port}`, `localhost:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`, `127.0.0.1.evil.example:${port}`]) {
      for (const path of ['/', '/app/demo/page/main.ts', '/api/health', '/api/stream', '/run/report.html']) {
        const answer = await send(path, { headers: { host } });
        expect(answer.status, `${host} ${path}`).toBe(421);
        expect(answer.body, `${host} ${path}`).not.toMatch(/tierlab-token" content="[^"]|EventSource|"tabs"/);
      }
      // The fault endpoint too, even with the page's Origin and token: a rebound page could have neither, but the Host alone refuses it.
      expect((await postFault('kill:streaming', { host, origin: origin(), token: await pageToken() })).status, host).toBe(421);
    }
    expect((await send('/', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(200);
    expect(injected).toHaveLength(0);
  });

  it('takes a fault only from its own Origin with the run\'s token: 403 otherwise, before the body is read', async () => {
    const token = await pageToken();
    const { port } = new URL(demo.url);
    const refused = [
      { what: 'no Origin, no token', headers: {} },
      { what: 'no Origin', headers: { token } },
      { what: 'a foreign Origin', headers: { origin: 'http://evil.example', token } },
      { what: 'a rebound Origin', headers: { origin: `http://evil.example:${port}`, token } },
      { what: 'https', headers: { origin: `https://127.0.0.1:${port}`, token } },
      { what: 'the null Origin', headers: { origin: 'null', token } },
      { what: 'no token', headers: { origin: origin() } },
      { what: 'a wrong token', headers: { origin: origin(), token: 'x'.repeat(43) } },
      { what: 'a token cut short', headers: { origin: origin(), token: token.slice(0, 20) } },
      { what: 'an empty token', headers: { origin: origin(), token: '' } },
    ];
    for (const { what, headers } of refused) {
      const answer = await postFault('kill:streaming', headers);
      expect(answer.status, what).toBe(403);
    }
    expect(injected).toHaveLength(0);
  });

  it("injects the page's faults into the running pass, one at a time per tier or service, and says why it cannot when it cannot", async () => {
    const page = { origin: origin(), token: await pageToken() };
    expect(await postFault('kill:streaming', page)).toEqual({ status: 202, body: 'injected kill:streaming\n' });
    expect(injected.map((fault) => [fault.kind, fault.kind === 'kill' ? fault.tier : ''])).toEqual([['kill', 'streaming']]);
    // Its worker is still being replaced (the run has shown nothing since): a second kill waits.
    expect(await postFault('kill:streaming', page)).toMatchObject({ status: 409, body: expect.stringContaining('kill:streaming is still in flight on the streaming worker') });
    expect(await postFault('broker-restart', page)).toMatchObject({ status: 409, body: expect.stringContaining('only native services') });
    expect(await postFault('kill:nobody', page)).toMatchObject({ status: 409, body: expect.stringContaining('unknown tier "nobody"') });
    expect(await postFault('rm -rf /', page)).toMatchObject({ status: 409, body: expect.stringContaining('the page can inject kill:TIER or broker-restart (got "rm -rf /")') });
    expect(await postFault('x'.repeat(500), page)).toMatchObject({ status: 413 });
    expect((await fetchText('/api/fault')).status).toBe(405);
    expect(injected).toHaveLength(1);
    // The replaced worker shows results past the kill: the fault is through, and the tier takes another.
    const progress = (visible: number) =>
      progressTo?.({ phase: 'generating', produced: 200, generatorLagMicros: 50, tiers: [{ name: 'streaming', state: 'running', visible, latestLatencyMicros: 4_000 }] }, 'pass 1/1');
    progress(90);
    expect(await postFault('kill:streaming', page)).toMatchObject({ status: 409 });
    progress(95);
    expect(await postFault('kill:streaming', page)).toEqual({ status: 202, body: 'injected kill:streaming\n' });
    expect(injected).toHaveLength(2);
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
    expect(tick.lanes.find((l) => l.name === 'streaming')).toMatchObject({ active: true, visible: 95, p50Micros: 4_000 });
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

describe('the event stream under load', () => {
  /** A server of its own, with a hub no run writes to: the test publishes. */
  async function streamServer(): Promise<{ hub: DemoHub; url: URL; close: () => Promise<void> }> {
    const hub = new DemoHub({
      scenario: { name: 's', title: 't', question: 'q', slaMicros: 1_000, eventsPerDay: 1, quick: true },
      execution: 'together',
      tiers: ['streaming'],
      laneTitles: { streaming: 'streaming' },
      rollingSec: 10,
    });
    const server = createDemoServer({ hub, host: '127.0.0.1', assets: async () => undefined, runDir: () => undefined });
    const address = await listen(server, 0, '127.0.0.1');
    return {
      hub,
      url: new URL(`http://127.0.0.1:${address.port}/api/stream`),
      close: async () => {
        hub.closeAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  /** A tab that reads everything, or (paused) one that reads nothing: a raw socket, so nothing buffers on this side. */
  function rawTab(url: URL, read: boolean): Promise<{ status: number; closed: Promise<void>; socket: ReturnType<typeof connect> }> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`));
      const closed = new Promise<void>((done) => socket.on('close', () => done()));
      socket.on('error', () => undefined);
      let head = '';
      const onData = (chunk: Buffer) => {
        head += chunk.toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3}) /.exec(head);
        if (!status) return;
        socket.off('data', onData);
        if (read) socket.resume();
        else socket.pause();
        resolve({ status: Number(status[1]), closed, socket });
      };
      socket.on('data', onData);
      socket.on('error', reject);
    });
  }

  it('streams to 16 tabs and turns the 17th away with a 503', async () => {
    const { hub, url, close } = await streamServer();
    try {
      const tabs = await Promise.all(Array.from({ length: 16 }, () => rawTab(url, true)));
      expect(tabs.map((tab) => tab.status)).toEqual(Array(16).fill(200));
      expect(hub.tabCount).toBe(16);
      const extra = await rawTab(url, true);
      expect(extra.status).toBe(503);
      expect(hub.tabCount).toBe(16);
      // A tab that goes frees its place.
      tabs[0]!.socket.destroy();
      await until(() => hub.tabCount === 15);
      expect((await rawTab(url, true)).status).toBe(200);
    } finally {
      await close();
    }
  });

  it('drops a tab that stops reading once 1 MiB waits for it, and goes on streaming to the others', async () => {
    const { hub, url, close } = await streamServer();
    try {
      const reader = await rawTab(url, true);
      const stalled = await rawTab(url, false);
      expect([reader.status, stalled.status]).toEqual([200, 200]);
      const chunk = 'x'.repeat(64 * 1024);
      // Far more than the socket buffers between the two ends hold: without the limit, it piles up in this process.
      for (let i = 0; i < 1_000 && hub.tabCount === 2; i++) {
        hub.publish('stage', { message: chunk });
        await new Promise((r) => setImmediate(r));
      }
      expect(hub.tabCount).toBe(1);
      // The server has let go of its connection: read what reached this side, and the stream ends there.
      stalled.socket.resume();
      await stalled.closed;
      hub.publish('stage', { message: 'still here' });
      expect(hub.tabCount).toBe(1);
    } finally {
      await close();
    }
  });
});
