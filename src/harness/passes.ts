import type { Execution } from '../results/summary.ts';
import type { TierName } from '../tiers/types.ts';

/** One stream fed to a set of tiers: every tier in `together`, one tier in `isolated`. */
export interface Pass {
  /** From 1. */
  repeat: number;
  tiers: TierName[];
  /** Suffix of the run id for this pass's topics and bucket, so no pass reads another's data. */
  suffix: string;
}

/** The passes of a run: each repeat runs every tier once, alone one after another or side by side. */
export function planPasses(execution: Execution, tiers: TierName[], repeats: number): Pass[] {
  const passes: Pass[] = [];
  for (let repeat = 1; repeat <= repeats; repeat++) {
    if (execution === 'together') passes.push({ repeat, tiers: [...tiers], suffix: `r${repeat}` });
    else for (const tier of tiers) passes.push({ repeat, tiers: [tier], suffix: `r${repeat}-${tier}` });
  }
  return passes;
}
