import { relative, resolve } from 'node:path';
import type { Exercise, ReferenceRun } from './types.ts';

/** A reference run with its scenario resolved, and the exercises that read it. */
export interface PlannedRun extends ReferenceRun {
  /** The scenario file, absolute. */
  scenarioPath: string;
  exercises: string[];
}

/**
 * The reference runs of some exercises, each once: exercise (g) reads exercise (a)'s run, so
 * checking both makes that run once. Order: as the exercises list them.
 */
export function planReferenceRuns(exercises: Exercise[]): PlannedRun[] {
  const planned = new Map<string, PlannedRun>();
  for (const exercise of exercises) {
    for (const run of exercise.reference.runs) {
      const scenarioPath = resolve(exercise.dir, run.scenario);
      const key = JSON.stringify([scenarioPath, run.tier ?? null, run.faults ?? []]);
      const known = planned.get(key);
      if (known) known.exercises.push(exercise.letter);
      else planned.set(key, { ...run, scenarioPath, exercises: [exercise.letter] });
    }
  }
  return [...planned.values()];
}

/** The command a participant would type for a reference run, from the repository's root. */
export function referenceCommand(run: PlannedRun, root: string): string {
  const scenario = relative(root, run.scenarioPath);
  const faults = (run.faults ?? []).map((f) => ` --fault ${f}`).join('');
  return run.tier ? `tierlab tier ${run.tier} --scenario ${scenario} --quick --no-warmup${faults}` : `tierlab run ${scenario} --quick --no-warmup${faults}`;
}

/** Makes one reference run into resultsDir (the CLI runs the lab; tests may pass their own). */
export type ReferenceRunner = (run: PlannedRun, resultsDir: string) => Promise<void>;
