import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../events/index.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { holdPeriodMs } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import type { TierRunner } from './tier-runner.ts';

/** After the stream ends, room for the last events to land and the next scheduled job (or trigger) to run. */
export const drainMarginMs = 30_000;

/** How long a run waits for its tiers to drain: the longest period a tier holds events for, plus drainMarginMs. */
export function drainTimeoutFor(tiers: readonly TierName[], scenario: Scenario): number {
  return Math.max(0, ...tiers.map((tier) => holdPeriodMs(tier, scenario))) + drainMarginMs;
}

export interface DrainOptions {
  /** Records the generator sent: a tier is drained when it has taken them all and made every accepted one visible. */
  produced: number;
  timeoutMs: number;
  clock: Clock;
  /** Tiers that never started: nothing to wait for. */
  failed: (runner: TierRunner) => boolean;
  wait?: (ms: number) => Promise<unknown>;
  onTick?: () => void;
}

/** True when the tier has nothing more to make visible: it errored, or every record it took is visible. */
export function drained(runner: TierRunner, produced: number): boolean {
  const health = runner.health();
  if (health.state === 'errored') return true;
  return health.counts.accepted + health.counts.rejected >= produced && health.visible >= health.counts.accepted;
}

/** Waits, bounded in time, until every tier has drained; true when all did before the bound. */
export async function drainTiers(runners: TierRunner[], options: DrainOptions): Promise<boolean> {
  const wait = options.wait ?? ((ms: number) => sleep(ms));
  const deadline = options.clock.nowMicros() + options.timeoutMs * 1000;
  const done = (runner: TierRunner) => options.failed(runner) || drained(runner, options.produced);
  while (!runners.every(done)) {
    if (options.clock.nowMicros() >= deadline) return false;
    options.onTick?.();
    await wait(Math.min(250, (deadline - options.clock.nowMicros()) / 1000));
  }
  return true;
}
