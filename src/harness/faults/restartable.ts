import type { TierHealth } from '../../tiers/types.ts';
import { TierLatency } from '../../metrics/latency.ts';
import type { TierRunner, TierRunnerResult, MeasureWindow } from '../tier-runner.ts';
import { retryThroughOutage } from '../../retry.ts';

/** What the records before the new worker's first offsets were: taken from the group's committed offsets at the restart. */
export interface Baseline {
  accepted: number;
  rejected: number;
}

export interface Restart {
  killedAtMicros: number;
  /** From the kill to the first result the new worker made visible; undefined if it never did. */
  recoveryMicros(): number | undefined;
}

/**
 * A tier whose worker can be killed and replaced, as an orchestrator replaces a dead container.
 * The harness sees one runner: its figures are the dead workers' last snapshots merged with the
 * live one's, and its counts are the records before the live worker's starting offsets (what
 * the dead ones committed) plus what the live one took.
 */
export interface RestartableRunner extends TierRunner {
  /** Replaces the worker: SIGKILLs it (a no-op for one already dead), then starts a new one that takes over its group. */
  restart(now: () => number, baseline: () => Promise<Baseline>, worker?: number): Promise<Restart>;
  /** Told when the live worker, whichever it is by then, ends unplanned while it measures (see TierRunner.unplannedExit). */
  onUnplannedExit(listener: (reason: string) => void): void;
}

export function restartableRunner(make: () => TierRunner): RestartableRunner {
  let current = make();
  let window: MeasureWindow | undefined;
  let baseline: Baseline | undefined;
  let stopping = false;
  let exitListener: ((reason: string) => void) | undefined;
  const dead: TierRunnerResult[] = [];
  /** The instants asked about (watchRecovery), and what replaced workers had answered for them. */
  const watched: number[] = [];
  const seenSince: Record<string, number> = {};
  // Only the live worker's exit counts: one replaced already, or one ending while the tier stops, is no news.
  const follow = (worker: TierRunner) =>
    void worker.unplannedExit?.then((reason) => {
      if (worker === current && window && !stopping) exitListener?.(reason);
    });
  follow(current);
  return {
    get name() {
      return current.name;
    },
    get pid() {
      return current.pid;
    },
    start: () => current.start(),
    watchRecovery(sinceMicros) {
      watched.push(sinceMicros);
      current.watchRecovery?.(sinceMicros);
    },
    lastSnapshot: () => current.lastSnapshot?.(),
    async measure(measured) {
      window = measured;
      await current.measure(measured);
    },
    health(): TierHealth {
      const live = withSince(current.health(), seenSince);
      if (!baseline) return live;
      return {
        ...live,
        counts: { ...live.counts, accepted: baseline.accepted + live.counts.accepted, rejected: baseline.rejected + live.counts.rejected },
        visible: baseline.accepted + live.visible,
      };
    },
    async restart(now, measureBaseline) {
      if (!current.kill || !window) throw new Error(`${current.name}: only a measuring worker can be killed`);
      const snapshot = current.lastSnapshot?.();
      // What the dead worker had made visible since a watched instant stays the tier's.
      Object.assign(seenSince, withSince(current.health(), seenSince).visibleSince);
      const killedAtMicros = now();
      await current.kill();
      if (snapshot) dead.push(snapshot);
      // As an orchestrator does, a replacement that cannot start (the broker restarting at the same
      // moment) is tried again, for as long as the clients ride out an outage: whatever the reason.
      const again = { isTransient: () => true, pauseMs: 1_000 };
      baseline = await retryThroughOutage(measureBaseline, again);
      const measuring = window;
      const replacement = await retryThroughOutage(async () => {
        current = make();
        try {
          // Told the window at start: the new worker may make results visible before start returns.
          await current.start(measuring);
          await current.measure(measuring);
          // A service fault watched before the replacement: the first result it makes visible counts too.
          for (const since of watched) current.watchRecovery?.(since);
          follow(current);
          return current;
        } catch (error) {
          await current.kill?.().catch(() => undefined);
          throw error;
        }
      }, again);
      return {
        killedAtMicros,
        recoveryMicros: () => {
          const first = replacement.health().firstVisibleMicros;
          return first !== undefined && first >= killedAtMicros ? first - killedAtMicros : undefined;
        },
      };
    },
    onUnplannedExit(listener) {
      exitListener = listener;
    },
    async stop() {
      stopping = true;
      const result = await current.stop();
      if (dead.length === 0) return result;
      const latency = new TierLatency(0);
      for (const part of [result, ...dead]) latency.merge(part.latency);
      return { ...result, health: this.health(), latency: latency.encode() };
    },
  };
}

/** The health with `visibleSince` merged with what earlier workers saw: the earliest answer for each instant. */
function withSince(health: TierHealth, earlier: Record<string, number>): TierHealth {
  if (Object.keys(earlier).length === 0) return health;
  const merged: Record<string, number> = { ...earlier };
  for (const [since, micros] of Object.entries(health.visibleSince ?? {})) merged[since] = Math.min(merged[since] ?? Infinity, micros);
  return { ...health, visibleSince: merged };
}
