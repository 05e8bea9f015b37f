import type { RunProgress } from '../harness/run-tiers.ts';
import type { TierName } from '../tiers/types.ts';
import type { DemoTick, LaneTick } from './types.ts';

/**
 * Turns the run's progress callbacks (the same data the terminal display shows: produced, and per
 * tier its state, visible count and the latency of its most recently visible event) into one tick
 * per second for the page. Pure: the caller passes the time, so it is unit-tested with made-up clocks.
 *
 * Rolling p50/p99 are the tier's own: each tier process keeps a histogram of every event made
 * visible in the last 10 s (1% precision) and the progress carries its percentiles. The freshness
 * clock is now minus the newest visible event's time, both on the run's clock. Where a progress
 * report lacks them (an older runner), the lane falls back to sampling the newest event's latency
 * each time the visible count moves, which reads low for batched tiers.
 */

interface Lane {
  name: TierName;
  active: boolean;
  state: string;
  visible: number;
  backlog: number;
  samples: Array<{ atMs: number; micros: number }>;
  /** The tier's own rolling percentiles, when its progress carries them. */
  recent?: { p50Micros: number; p99Micros: number };
  newestEventAtMs?: number;
  /** At the previous tick, for the rates. */
  tickVisible: number;
}

export interface TrackerOptions {
  tiers: readonly TierName[];
  /** The window of the rolling percentiles. */
  rollingSec: number;
}

export class LiveTracker {
  private readonly lanes: Map<TierName, Lane>;
  private readonly rollingMs: number;
  private pass: string | undefined;
  private phase: RunProgress['phase'] | undefined;
  private produced = 0;
  private lagMicros = 0;
  private tickProduced = 0;
  private tickAtMs: number | undefined;
  /** When the running pass first reported generating: its stream's start, to within one progress interval. */
  passStartMs: number | undefined;

  constructor(options: TrackerOptions) {
    this.rollingMs = options.rollingSec * 1000;
    this.lanes = new Map(
      options.tiers.map((name) => [name, { name, active: false, state: 'waiting', visible: 0, backlog: 0, samples: [], tickVisible: 0 }]),
    );
  }

  /** One progress callback of the run. Returns true when it started a new pass. */
  observe(progress: RunProgress, pass: string, nowMs: number): boolean {
    const newPass = pass !== this.pass;
    if (newPass) {
      // A pass has a fresh generator and fresh tier workers: their counts start again at zero.
      this.finishPass();
      this.pass = pass;
      this.passStartMs = undefined;
      this.produced = 0;
      this.tickProduced = 0;
    }
    if (this.passStartMs === undefined && progress.phase === 'generating') this.passStartMs = nowMs;
    this.phase = progress.phase;
    this.produced = progress.produced;
    this.lagMicros = progress.generatorLagMicros;
    for (const tier of progress.tiers) {
      const lane = this.lanes.get(tier.name);
      if (!lane) continue;
      if (newPass || !lane.active) {
        lane.active = true;
        lane.visible = 0;
        lane.tickVisible = 0;
        lane.samples = [];
        delete lane.recent;
        delete lane.newestEventAtMs;
      }
      if (tier.recent) lane.recent = tier.recent;
      if (tier.newestVisibleEventMicros !== undefined) lane.newestEventAtMs = tier.newestVisibleEventMicros / 1000;
      else if (tier.visible !== lane.visible && tier.latestLatencyMicros !== undefined) lane.newestEventAtMs = nowMs - tier.latestLatencyMicros / 1000;
      if (tier.visible !== lane.visible && tier.latestLatencyMicros !== undefined) lane.samples.push({ atMs: nowMs, micros: tier.latestLatencyMicros });
      lane.state = tier.state;
      lane.visible = tier.visible;
      lane.backlog = Math.max(0, progress.produced - tier.visible);
    }
    return newPass;
  }

  /** The run has ended (or moved on): no lane is fed any more. */
  finishPass(): void {
    for (const lane of this.lanes.values()) lane.active = false;
    this.phase = undefined;
  }

  /** What the page shows now; rates are over the time since the previous tick. */
  tick(nowMs: number): DemoTick {
    const seconds = this.tickAtMs === undefined ? 0 : (nowMs - this.tickAtMs) / 1000;
    const rate = (delta: number) => (seconds > 0 ? Math.max(0, delta) / seconds : 0);
    const offered = rate(this.produced - this.tickProduced);
    const lanes: LaneTick[] = [...this.lanes.values()].map((lane) => {
      lane.samples = lane.samples.filter((s) => s.atMs > nowMs - this.rollingMs);
      const latencies = lane.samples.map((s) => s.micros).sort((a, b) => a - b);
      const p50 = lane.recent?.p50Micros ?? percentile(latencies, 50);
      const p99 = lane.recent?.p99Micros ?? percentile(latencies, 99);
      const tick: LaneTick = {
        name: lane.name,
        active: lane.active,
        state: lane.state,
        visible: lane.visible,
        backlog: lane.active ? lane.backlog : 0,
        offeredPerSec: lane.active ? offered : 0,
        visiblePerSec: lane.active ? rate(lane.visible - lane.tickVisible) : 0,
        ...(p50 !== undefined ? { p50Micros: p50 } : {}),
        ...(p99 !== undefined ? { p99Micros: p99 } : {}),
        // Only while fed: a lane whose pass is over has no dashboard to be fresh for.
        ...(lane.active && lane.newestEventAtMs !== undefined ? { freshnessMicros: Math.max(0, (nowMs - lane.newestEventAtMs) * 1000) } : {}),
      };
      lane.tickVisible = lane.visible;
      return tick;
    });
    this.tickAtMs = nowMs;
    this.tickProduced = this.produced;
    return {
      atMs: nowMs,
      ...(this.pass !== undefined ? { pass: this.pass } : {}),
      ...(this.phase !== undefined ? { phase: this.phase } : {}),
      produced: this.produced,
      generatorLagMicros: this.lagMicros,
      lanes,
    };
  }
}

/** Nearest-rank percentile of sorted values; undefined for none. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
