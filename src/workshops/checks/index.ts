import type { ExerciseCheck } from '../types.ts';
import { maxLatencyCheck, type MaxLatencyDeps } from './a-max-latency.ts';
import { triggerCheck } from './b-microbatch-trigger.ts';
import { scheduleCheck, type ScheduleDeps } from './c-nightly-vs-hourly.ts';
import { hotKeyCheck } from './d-hot-key.ts';
import { killCheck } from './e-kill-a-worker.ts';
import { ownDatasetCheck, type OwnDatasetDeps } from './f-own-dataset.ts';
import { warStoryCheck } from './g-war-story.ts';
import { enginesCheck } from './h-engines.ts';
import { lakehouseCheck } from './i-lakehouse.ts';

/** What any check may need from outside: the IO of them all, injected (tests pass their own). */
export type CheckDeps = MaxLatencyDeps & ScheduleDeps & OwnDatasetDeps;

/**
 * The check of each exercise, by the letter in its workshop.yaml. The exercises are data; what
 * counts as having learnt one is code, here.
 */
// An answer's type differs per exercise; each check validates its own against answerSchema.
export const exerciseChecks: Record<string, ExerciseCheck<any, CheckDeps>> = {
  a: maxLatencyCheck,
  b: triggerCheck,
  c: scheduleCheck,
  d: hotKeyCheck,
  e: killCheck,
  f: ownDatasetCheck,
  g: warStoryCheck,
  h: enginesCheck,
  i: lakehouseCheck,
};
