import type { OrderFlip } from '../results/recommend.ts';
import type { FaultSummary, RunSummary } from '../results/summary.ts';
import type { TierName } from '../tiers/types.ts';

/**
 * What the demo server sends the page over /api/stream (server-sent events). The page imports
 * these as types only, so the browser never loads this file.
 */

/** One tier at one tick: what a lane shows. */
export interface LaneTick {
  name: TierName;
  /** Fed events in the pass running now (in isolated execution, one tier's lane at a time). */
  active: boolean;
  /** The tier's own state (idle, running, errored, ...), as the run's progress reports it. */
  state: string;
  visible: number;
  /** Produced but not yet visible in this tier (the progress display's "behind"). */
  backlog: number;
  /** Events/s the generator offered this tier over the last tick; 0 when its pass is not running. */
  offeredPerSec: number;
  /** Events/s this tier made visible over the last tick. */
  visiblePerSec: number;
  /** Of every event the tier made visible in the last 10 s (the tier's own rolling histogram, 1%). */
  p50Micros?: number;
  p99Micros?: number;
  /** Age of the newest visible result, as a dashboard reader would see it. */
  freshnessMicros?: number;
}

export interface DemoTick {
  /** Wall clock, ms since the epoch: every lane on this one clock. */
  atMs: number;
  pass?: string;
  phase?: 'generating' | 'draining';
  produced: number;
  generatorLagMicros: number;
  lanes: LaneTick[];
}

/** A fault given with --fault: where it falls on the clock, planned and then as it happened. */
export interface FaultMarker {
  spec: string;
  tier?: TierName;
  /** Planned (from its pass's first progress) until the run's summary says when it happened. */
  atMs: number;
  recoveryMicros?: number | null;
  measured: boolean;
}

/** Which assumption, at half or double, reverses the cost order of two tiers: recommend()'s tie rule, as data. */
export type FlipTable = Partial<Record<`${TierName}>${TierName}`, ReturnType<OrderFlip>>>;

/** Sent once the run has finished and its report is written. */
export interface DemoFinal {
  runId: string;
  tiers: RunSummary['tiers'];
  flips: FlipTable;
  recommendation: RunSummary['recommendation'];
  /** The scenario's SLA the recommendation above was made for. */
  slaMicros: number;
  execution: RunSummary['environment']['execution'];
  eventsPerDay: number;
  faults: FaultSummary[];
  /** The report's week chart (week-chart.ts), drawn on the server so the page does no schedule maths; '' when the run has none. */
  weekChartSvg: string;
  /** Links served by the same server, relative to the page. */
  reportHref: string;
  summaryHref: string;
}

/** Sent first to every tab: enough to draw the page, and the history so far, so a late tab catches up. */
export interface DemoHello {
  scenario: { name: string; title: string; question: string; slaMicros: number; eventsPerDay: number; quick: boolean };
  execution: 'isolated' | 'together';
  tiers: TierName[];
  /** Each lane's title: the tier, with the engine that runs it where that is not the Node one ("streaming (flink)"). */
  laneTitles: Partial<Record<TierName, string>>;
  rollingSec: number;
  history: DemoTick[];
  stages: string[];
  faults: FaultMarker[];
  final?: DemoFinal;
  failed?: string;
}

/** The events on /api/stream: the SSE event name and its JSON data. */
export interface DemoEvents {
  hello: DemoHello;
  tick: DemoTick;
  stage: { message: string };
  faults: FaultMarker[];
  final: DemoFinal;
  failed: { message: string };
}
