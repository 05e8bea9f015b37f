import { readSummary } from '../../../src/results/read-summary.ts';
import type { RunSummary, TierSummary } from '../../../src/results/summary.ts';
import type { TierName } from '../../../src/tiers/types.ts';

/** The real v3 summary of a quick demo run (all three tiers, native services, 2 CPUs). */
export const fixture = await readSummary(new URL('../../fixtures/summary.json', import.meta.url).pathname);

/** The fixture as a run of `scenario`, with changes; a deep copy, so tests never share state. */
export function runOf(scenario: string, change: (run: RunSummary) => void = () => {}): RunSummary {
  const run = structuredClone(fixture);
  run.scenario.name = scenario;
  run.runId = `20261125-100000-${scenario}-abcd`;
  change(run);
  return run;
}

/** A run of one tier only, as `tierlab tier NAME` makes. */
export function tierRunOf(scenario: string, tier: TierName, change: (run: RunSummary, t: TierSummary) => void = () => {}): RunSummary {
  return runOf(scenario, (run) => {
    run.tiers = { [tier]: run.tiers[tier] };
    change(run, run.tiers[tier]!);
  });
}

export const runsMap = (...runs: RunSummary[]) => new Map(runs.map((r) => [r.scenario.name, r]));
