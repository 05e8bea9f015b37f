import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { isTierlabError } from '../errors.ts';
import { knownRunIds, readSummary, summaryFileName } from '../report/read-summary.ts';
import type { RunSummary } from '../report/summary.ts';
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
    const path = join(resultsDir, runId, summaryFileName);
    // A folder without summary.json is a run that did not finish: passed over without a note.
    if (!(await access(path).then(() => true, () => false))) continue;
    let summary: RunSummary;
    try {
      summary = await readSummary(path);
    } catch (error) {
      if (!isTierlabError(error, 'BAD_DATA_FILE')) throw error;
      skipped(path, error);
      continue;
    }
    if (summary.scenario.name.startsWith(prefix) && !runs.has(summary.scenario.name)) runs.set(summary.scenario.name, summary);
  }
  return runs;
}
