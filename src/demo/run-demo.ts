import type { Server } from 'node:http';
import { describeError } from '../errors.ts';
import { FaultInbox } from '../harness/faults/inbox.ts';
import { parseFault, type FaultSpec } from '../harness/faults/spec.ts';
import type { LabRun, LabRunOptions } from '../harness/lab-run.ts';
import { engineLabel } from '../results/labels.ts';
import type { RunSummary } from '../results/summary.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { ResolvedTierOptions } from '../tiers/registry.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import type { AssetSource } from './assets.ts';
import type { FaultAnswer } from './fault-gate.ts';
import { FaultSettle } from './fault-settle.ts';
import { demoFinal } from './final.ts';
import { DemoHub } from './hub.ts';
import { createDemoServer, listen } from './server.ts';
import { LiveTracker } from './tracker.ts';
import type { FaultMarker } from './types.ts';
import { rollingLatencySec } from '../metrics/rolling-latency.ts';

export interface DemoOptions {
  scenario: Scenario;
  /** The run, as `tierlab run` would start it; the demo adds the progress and stage callbacks. */
  lab: Omit<LabRunOptions, 'scenario' | 'onStage' | 'onProgress'>;
  /** runLab, passed in so tests can drive the demo without services. */
  runLab: (options: LabRunOptions) => Promise<LabRun>;
  /** Writes report.html (and the rest) into the run's folder once it is done. */
  writeReport: (dir: string, summary: RunSummary) => Promise<unknown>;
  assets: AssetSource;
  host: string;
  port: number;
  nowMs?: () => number;
  onStage?: (message: string) => void;
  onServerError?: (error: unknown) => void;
}

export interface LiveDemo {
  url: string;
  server: Server;
  /** Settles when the run has ended and the page has its answer (or the failure). */
  run: Promise<LabRun>;
  close(): Promise<void>;
}

/** Seconds each lane's rolling percentiles cover: a compressed batch schedule runs a job every 10-20 s. */
export const rollingSec = rollingLatencySec;
const tickMs = 1_000;
const keepAliveMs = 15_000;

/** Each lane's title: the tier and, where it is not the Node one, the engine the scenario runs it on. */
export function laneTitles(tiers: readonly TierName[], options: ResolvedTierOptions): Partial<Record<TierName, string>> {
  return Object.fromEntries(tiers.map((name) => [name, engineLabel(name, options[name].engine)]));
}

/** Serves the page, then starts the run and streams its progress to every open tab. */
export async function startDemo(options: DemoOptions): Promise<LiveDemo> {
  const { scenario } = options;
  const now = options.nowMs ?? Date.now;
  const tiers: TierName[] = options.lab.tiers ?? [...tierNames];
  const execution = options.lab.execution ?? 'isolated';
  const hub = new DemoHub({
    scenario: {
      name: scenario.name,
      title: scenario.title,
      question: scenario.question,
      slaMicros: scenario.slaMs * 1000,
      eventsPerDay: scenario.eventsPerDay,
      quick: scenario.quick,
    },
    execution,
    tiers,
    laneTitles: laneTitles(tiers, scenario),
    rollingSec,
  });
  let runDir: string | undefined;
  const inbox = new FaultInbox();
  const faults = new FaultPlan(options.lab.faults ?? []);
  const settle = new FaultSettle();
  const server = createDemoServer({
    hub,
    host: options.host,
    assets: options.assets,
    runDir: () => runDir,
    injectFault: (spec): FaultAnswer => {
      const refused = injectLive(spec, inbox, faults, now());
      if (refused) return { refused };
      hub.publish('faults', faults.markers);
      const kill = /^kill:([a-z]+)$/.exec(spec);
      return { injected: settle.begin(kill ? [kill[1] as TierName] : 'pass', now()) };
    },
    ...(options.onServerError ? { onError: options.onServerError } : {}),
  });
  const address = await listen(server, options.port, options.host);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;

  const tracker = new LiveTracker({ tiers, rollingSec });
  const ticker = setInterval(() => hub.publish('tick', tracker.tick(now())), tickMs);
  const keepAlive = setInterval(() => hub.keepAlive(), keepAliveMs);
  ticker.unref();
  keepAlive.unref();

  const run = (async () => {
    try {
      const lab = await options.runLab({
        ...options.lab,
        faultInbox: inbox,
        scenario,
        onStage: (message) => {
          hub.publish('stage', { message });
          options.onStage?.(message);
        },
        onProgress: (progress, pass) => {
          tracker.observe(progress, pass, now());
          settle.observe(progress, pass, now());
          const passTiers = progress.tiers.map((t) => t.name);
          if (tracker.passStartMs !== undefined && faults.place(pass, passTiers, tracker.passStartMs)) hub.publish('faults', faults.markers);
        },
      });
      tracker.finishPass();
      hub.publish('tick', tracker.tick(now()));
      await options.writeReport(lab.dir, lab.summary);
      runDir = lab.dir;
      const final = await demoFinal(lab.summary, scenario, { report: '/run/report.html', summary: '/run/summary.json' });
      hub.publish('faults', faults.measured(final.faults));
      hub.publish('final', final);
      return lab;
    } catch (error) {
      hub.publish('failed', { message: describeError(error) });
      throw error;
    } finally {
      clearInterval(ticker);
      settle.settleAll();
    }
  })();

  return {
    url,
    server,
    run,
    close: async () => {
      clearInterval(ticker);
      clearInterval(keepAlive);
      hub.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The faults the page's buttons offer: a spec without its time, injected now. */
export const liveFaultForms = /^(kill:[a-z]+|broker-restart)$/;

/** A button's fault, injected into the running pass; returns why not when it cannot be. */
export function injectLive(spec: string, inbox: FaultInbox, plan: FaultPlan, nowMs: number): string | undefined {
  if (!liveFaultForms.test(spec)) return `the page can inject kill:TIER or broker-restart (got "${spec.slice(0, 40)}")`;
  let fault: FaultSpec;
  try {
    fault = parseFault(`${spec}@0s`);
  } catch (error) {
    return describeError(error);
  }
  const refused = inbox.inject(fault);
  if (!refused) plan.markers.push({ spec: `${spec} (from the page)`, ...(fault.kind === 'kill' ? { tier: fault.tier } : {}), atMs: nowMs, measured: false });
  return refused;
}

/**
 * Faults as chart markers: the --fault specs where planned (the pass's stream start + T) while it
 * runs, the ones the page's buttons injected where they were asked for, and every one where it
 * was measured once the run is done.
 */
export class FaultPlan {
  markers: FaultMarker[] = [];
  private readonly placed = new Set<string>();
  private readonly specs: readonly FaultSpec[];

  constructor(specs: readonly FaultSpec[]) {
    this.specs = specs;
  }

  /** Places the faults of a pass once its stream has started; true when any was placed. */
  place(pass: string, passTiers: readonly TierName[], streamStartMs: number): boolean {
    if (this.placed.has(pass)) return false;
    this.placed.add(pass);
    const hits = this.specs.filter((fault) => fault.kind !== 'kill' || passTiers.includes(fault.tier));
    for (const fault of hits) {
      this.markers.push({ spec: fault.text, ...(fault.kind === 'kill' ? { tier: fault.tier } : {}), atMs: streamStartMs + fault.atMs, measured: false });
    }
    return hits.length > 0;
  }

  /** The markers as the run recorded them: when each fault hit and how long its tier took to recover. */
  measured(records: RunSummary['faults'] & object): FaultMarker[] {
    if (records.length === 0) return this.markers;
    this.markers = records.map((record) => ({
      spec: record.spec,
      tier: record.tier,
      atMs: record.atMicros / 1000,
      recoveryMicros: record.recoveryMicros,
      measured: true,
    }));
    return this.markers;
  }
}
