import type { ServerResponse } from 'node:http';
import type { DemoEvents, DemoHello } from './types.ts';

/** Ticks kept for a tab opened late: an hour at one a second. */
const historyKept = 3_600;

/**
 * The demo's state as the page sees it, and the tabs watching it. A tab gets `hello` (everything
 * so far) when it connects, then each event as it happens; a closed tab is dropped when its
 * connection closes, and a write to a tab that is going away is skipped, never thrown.
 */
export class DemoHub {
  private readonly tabs = new Set<ServerResponse>();
  private readonly state: DemoHello;

  constructor(start: Omit<DemoHello, 'history' | 'stages' | 'faults'> & Partial<Pick<DemoHello, 'faults'>>) {
    this.state = { history: [], stages: [], faults: [], ...start };
  }

  get tabCount(): number {
    return this.tabs.size;
  }

  get done(): boolean {
    return this.state.final !== undefined || this.state.failed !== undefined;
  }

  /** Takes over a response as an event stream until the tab goes away. */
  attach(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.tabs.add(response);
    response.on('close', () => this.tabs.delete(response));
    send(response, 'hello', this.state);
  }

  publish<K extends keyof DemoEvents>(event: K, data: DemoEvents[K]): void {
    this.remember(event, data);
    for (const tab of this.tabs) send(tab, event, data);
  }

  /** A comment line: keeps idle connections open through proxies, and finds tabs that went away. */
  keepAlive(): void {
    for (const tab of this.tabs) if (writable(tab)) tab.write(': keep-alive\n\n');
  }

  closeAll(): void {
    for (const tab of this.tabs) tab.end();
    this.tabs.clear();
  }

  private remember<K extends keyof DemoEvents>(event: K, data: DemoEvents[K]): void {
    const events = data as DemoEvents[keyof DemoEvents];
    if (event === 'tick') {
      this.state.history.push(events as DemoEvents['tick']);
      if (this.state.history.length > historyKept) this.state.history.shift();
    } else if (event === 'stage') this.state.stages.push((events as DemoEvents['stage']).message);
    else if (event === 'faults') this.state.faults = events as DemoEvents['faults'];
    else if (event === 'final') this.state.final = events as DemoEvents['final'];
    else if (event === 'failed') this.state.failed = (events as DemoEvents['failed']).message;
  }
}

function writable(response: ServerResponse): boolean {
  return !response.destroyed && !response.writableEnded;
}

function send(response: ServerResponse, event: string, data: unknown): void {
  if (!writable(response)) return;
  // JSON.stringify never writes a raw newline, so one data line holds the whole event.
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
