import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TierlabError } from '../errors.ts';
import type { AssetSource } from './assets.ts';
import { FaultGate, type FaultAnswer } from './fault-gate.ts';
import { boundHosts, hostRefusal, newToken, withToken, writeRefusal } from './guard.ts';
import type { DemoHub } from './hub.ts';
import { contentTypeOf, fileUnder } from './paths.ts';

export interface DemoServerOptions {
  hub: DemoHub;
  /** The host it is told to listen on (`--host`): with the port it gets, the one Host it answers (see guard.ts). */
  host: string;
  assets: AssetSource;
  /** The run's results folder once its report is written, served read-only under /run/; before that, undefined. */
  runDir: () => string | undefined;
  /** A request that failed on the server side (the server goes on). */
  onError?: (error: unknown) => void;
  /**
   * POST /api/fault with a fault without its time (`kill:streaming`, `broker-restart`): injects it
   * into the running pass now. Returns why not, or a promise that settles once the fault has been
   * seen through: until then its tier or service takes no other fault (fault-gate.ts).
   */
  injectFault?: (spec: string) => FaultAnswer;
}

/** A fault request is a few words; anything longer is refused before it is read. */
const maxFaultBodyBytes = 200;

/**
 * The demo's HTTP server: node:http, GET and HEAD only, bar the fault POST. `/` and the page's
 * assets, `/api/stream` (server-sent events), `/api/health`, and `/run/FILE` (the run's report,
 * summary and screenshot). Everything else is a 404; a request that fails is a 500 for that
 * request alone. Only the bound host:port is answered, and a fault only from the page, with the
 * run's token, which this server makes at start and writes into the page it serves (guard.ts).
 */
export function createDemoServer(options: DemoServerOptions): Server {
  let hosts: Set<string> | undefined;
  const context: Context = {
    ...options,
    token: newToken(),
    gate: new FaultGate(),
    // The port is known once listening (0 picks one): worked out at the first request.
    hosts: () => (hosts ??= boundHosts(options.host, server.address() as AddressInfo)),
  };
  const server = createServer((request, response) => {
    handle(context, request, response).catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) reply(response, 500, 'internal error\n');
      else response.destroy();
    });
  });
  // A malformed request line or header: answered 400 on the raw socket, as node:http would, without crashing.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

interface Context extends DemoServerOptions {
  token: string;
  gate: FaultGate;
  hosts: () => ReadonlySet<string>;
}

async function handle(options: Context, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const misdirected = hostRefusal(request.headers, options.hosts());
  if (misdirected) {
    reply(response, misdirected.status, misdirected.message);
    return;
  }
  // The Host is ours (checked above): only the path is read from the URL.
  const path = new URL(request.url ?? '/', 'http://demo.invalid').pathname;
  if (path === '/api/fault' && options.injectFault) {
    await handleFault(options, options.injectFault, request, response);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply(response, 405, 'GET or HEAD only\n', { allow: 'GET, HEAD' });
    return;
  }
  if (path === '/api/stream') {
    options.hub.attach(response);
    return;
  }
  if (path === '/api/health') {
    reply(response, 200, JSON.stringify({ tabs: options.hub.tabCount, done: options.hub.done }), { 'content-type': 'application/json' });
    return;
  }
  if (path.startsWith('/run/')) {
    await serveRunFile(options.runDir(), path.slice('/run'.length), request, response);
    return;
  }
  const asset = await options.assets(path);
  if (!asset) {
    reply(response, 404, 'not found\n');
    return;
  }
  if (path === '/') {
    // The page carries this run's token: never stored by a cache, and read by no other origin (no CORS headers are sent).
    response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : withToken(String(asset.body), options.token));
    return;
  }
  response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
  response.end(request.method === 'HEAD' ? undefined : asset.body);
}

/**
 * The page's fault buttons: POST a spec from the page (its Origin, the run's token), 202 when
 * injected, 409 with why when the run cannot take it now or its target has a fault in flight.
 */
async function handleFault(options: Context, inject: (spec: string) => FaultAnswer, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') {
    reply(response, 405, 'POST a fault, e.g. kill:streaming\n', { allow: 'POST' });
    return;
  }
  // Checked before the body is read: a refused request costs nothing more.
  const forbidden = writeRefusal(request.headers, options.hosts(), options.token);
  if (forbidden) {
    request.resume();
    reply(response, forbidden.status, forbidden.message);
    return;
  }
  const body = await readCapped(request, maxFaultBodyBytes);
  if (body === undefined) {
    reply(response, 413, 'a fault is a few words, e.g. kill:streaming\n');
    return;
  }
  const { status, message } = options.gate.run(body.trim(), inject);
  reply(response, status, `${message}\n`);
}

/** The request's body, or undefined when it is longer than `max` (read to its end all the same, so the answer reaches the client). */
function readCapped(request: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    let tooLong = false;
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      if (tooLong) return;
      text += chunk;
      tooLong = text.length > max;
    });
    request.on('end', () => resolve(tooLong ? undefined : text));
    request.on('error', reject);
  });
}

async function serveRunFile(dir: string | undefined, urlPath: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const file = dir === undefined ? undefined : fileUnder(dir, urlPath);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    reply(response, 404, dir === undefined ? 'the run has not finished yet\n' : 'not found\n');
    return;
  }
  response.writeHead(200, { 'content-type': contentTypeOf(file), 'content-length': info.size, 'cache-control': 'no-cache' });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

function reply(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  response.end(body);
}

/** Listens on host:port (0: any free port) and says which port it got. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new TierlabError('PORT_IN_USE', `port ${port} on ${host} is in use: pick another with --port`, { cause: error, details: { port, host } })
          : new TierlabError('BAD_INPUT', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error, details: { port, host } }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}
