import type { ServerResponse } from 'node:http';
import type { DemoEvents, DemoHello } from './types.ts';

/** Ticks kept for a tab opened late: an hour at one a second. */
const historyKept = 3_600;

export interface HubLimits {
  /** Tabs streamed to at once; one more is turned away (503), so tabs cannot pile up without bound. */
  maxTabs: number;
  /**
   * Bytes a tab may have waiting in its socket. A tab that reads slower than the run writes (a
   * stalled laptop, a client that never reads) is dropped past this, rather than buffered in
   * this process without bound; a browser's EventSource reconnects and catches up from `hello`.
   */
  maxBufferedBytes: number;
}

/**
 * Checked before each write, so a tab's hello (up to an hour of ticks) always goes out whole; a tab
 * is dropped when more than this is still waiting at a later event, a second or more on.
 */
export const defaultHubLimits: HubLimits = { maxTabs: 16, maxBufferedBytes: 1024 * 1024 };

/**
 * The demo's state as the page sees it, and the tabs watching it. A tab gets `hello` (everything
 * so far) when it connects, then each event as it happens; a closed tab is dropped when its
 * connection closes, a write to a tab that is going away is skipped, never thrown, and a tab
 * too slow to keep up is dropped (see HubLimits).
 */
export class DemoHub {
  private readonly tabs = new Set<ServerResponse>();
  private readonly state: DemoHello;
  private readonly limits: HubLimits;

  constructor(start: Omit<DemoHello, 'history' | 'stages' | 'faults'> & Partial<Pick<DemoHello, 'faults'>>, limits: Partial<HubLimits> = {}) {
    this.state = { history: [], stages: [], faults: [], ...start };
    this.limits = { ...defaultHubLimits, ...limits };
  }

  get tabCount(): number {
    return this.tabs.size;
  }

  get done(): boolean {
    return this.state.final !== undefined || this.state.failed !== undefined;
  }

  /** Takes over a response as an event stream until the tab goes away; false (and a 503) when there are tabs enough. */
  attach(response: ServerResponse): boolean {
    if (this.tabs.size >= this.limits.maxTabs) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
      response.end(`${this.limits.maxTabs} tabs are watching this demo already: close one\n`);
      return false;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.tabs.add(response);
    response.on('close', () => this.tabs.delete(response));
    this.write(response, frame('hello', this.state));
    return true;
  }

  publish<K extends keyof DemoEvents>(event: K, data: DemoEvents[K]): void {
    this.remember(event, data);
    const text = frame(event, data);
    for (const tab of this.tabs) this.write(tab, text);
  }

  /** A comment line: keeps idle connections open through proxies, and finds tabs that went away. */
  keepAlive(): void {
    for (const tab of this.tabs) this.write(tab, ': keep-alive\n\n');
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

  /** Writes to a tab, or drops it when it is already too far behind to be sent more. */
  private write(tab: ServerResponse, text: string): void {
    if (tab.destroyed || tab.writableEnded) return;
    if (tab.writableLength > this.limits.maxBufferedBytes) {
      this.tabs.delete(tab);
      tab.destroy();
      return;
    }
    tab.write(text);
  }
}

function frame(event: string, data: unknown): string {
  // JSON.stringify never writes a raw newline, so one data line holds the whole event.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
