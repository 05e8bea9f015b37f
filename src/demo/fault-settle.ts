import type { RunProgress } from '../harness/run-tiers.ts';
import type { TierName } from '../tiers/types.ts';

/** Longest a page fault holds its target: a lane that makes nothing visible for this long (a batch tier between jobs) frees it. */
export const maxSettleMs = 60_000;

interface Waiting {
  pass: string;
  tiers: readonly TierName[] | 'pass';
  sinceMs: number;
  /** Per tier, the most it showed visible from the injection to the first progress after it (the killed worker's last word). */
  mark: Map<TierName, number>;
  seenAfter: boolean;
  resolve: () => void;
}

/**
 * When a fault from the page has been seen through, as the run's progress shows it: every tier it
 * hit has made visible more than it had when the fault went in (a replaced worker has caught up
 * past the kill; every tier has results through the restarted broker). Or its pass has ended, or
 * `maxSettleMs` has passed. The harness marks recovery at the new worker's first result; this is
 * a little later, on purpose: the target is free only once it is working again. Pure: the caller
 * passes the time.
 */
export class FaultSettle {
  private readonly waiting = new Set<Waiting>();
  private last: { pass: string; progress: RunProgress } | undefined;

  /** A fault went in now, hitting `tiers` (or every tier of the running pass); settles as above. */
  begin(tiers: readonly TierName[] | 'pass', nowMs: number): Promise<void> {
    return new Promise((resolve) => {
      const mark = new Map<TierName, number>();
      for (const tier of this.last?.progress.tiers ?? []) mark.set(tier.name, tier.visible);
      this.waiting.add({ pass: this.last?.pass ?? '', tiers, sinceMs: nowMs, mark, seenAfter: false, resolve });
    });
  }

  observe(progress: RunProgress, pass: string, nowMs: number): void {
    this.last = { pass, progress };
    const visible = new Map(progress.tiers.map((tier) => [tier.name, tier.visible]));
    for (const entry of this.waiting) {
      if (entry.pass !== pass || nowMs - entry.sinceMs >= maxSettleMs) {
        this.settle(entry);
        continue;
      }
      const hit = entry.tiers === 'pass' ? [...visible.keys()] : entry.tiers;
      if (!entry.seenAfter) {
        // The progress before the fault may be a tick old: the worker's last results count as before it.
        entry.seenAfter = true;
        for (const tier of hit) entry.mark.set(tier, Math.max(entry.mark.get(tier) ?? 0, visible.get(tier) ?? 0));
        continue;
      }
      if (hit.every((tier) => (visible.get(tier) ?? 0) > (entry.mark.get(tier) ?? 0))) this.settle(entry);
    }
  }

  /** The run is over: nothing is in flight any more. */
  settleAll(): void {
    for (const entry of this.waiting) this.settle(entry);
  }

  private settle(entry: Waiting): void {
    this.waiting.delete(entry);
    entry.resolve();
  }
}
