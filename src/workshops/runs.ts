import { join } from 'node:path';
import { knownRunIds, readStoredSummary } from '../results/read-summary.ts';
import type { ExerciseRuns } from './types.ts';

/** A run id is `<UTC stamp>-<scenario>-<4 hex>` (newRunId), so the scenario can be read off the folder name. */
const runIdPattern = /^\d{8}-\d{6}-(.+)-[0-9a-f]{4}$/;

/**
 * The newest run of every scenario whose name starts with `prefix`, under resultsDir. Only
 * folders named for such a scenario are read; the summary is read through its schema, and its
 * own scenario name decides. A broken or older summary is passed to `skipped` and an older run
 * of the same scenario is used instead, so one bad file never hides a good run.
 */
export async function newestRunsOf(
  resultsDir: string,
  prefix: string,
  skipped: (path: string, error: unknown) => void = () => {},
): Promise<ExerciseRuns> {
  const runs: ExerciseRuns = new Map();
  for (const runId of (await knownRunIds(resultsDir)).reverse()) {
    const scenario = runIdPattern.exec(runId)?.[1];
    if (scenario === undefined || !scenario.startsWith(prefix) || runs.has(scenario)) continue;
    const summary = await readStoredSummary(join(resultsDir, runId), skipped);
    if (summary && summary.scenario.name.startsWith(prefix) && !runs.has(summary.scenario.name)) runs.set(summary.scenario.name, summary);
  }
  return runs;
}
