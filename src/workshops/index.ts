export { answerFileName, checkExercise, referenceAnswerPath, type CheckOptions, type CheckResult } from './check.ts';
export { exerciseChecks, type CheckDeps } from './checks/index.ts';
export { checkDeps } from './deps.ts';
export { findExercise, loadExercises, workshopsDir } from './exercises.ts';
export { planReferenceRuns, referenceCommand, type PlannedRun, type ReferenceRunner } from './reference.ts';
export { checkLines, listRows } from './render.ts';
export type { CheckItem, Exercise } from './types.ts';
