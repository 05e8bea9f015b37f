import { join, resolve } from 'node:path';
import { isTierlabError, TierlabError } from '../errors.ts';
import { loadAnswer } from './answer.ts';
import { exerciseChecks, type CheckDeps } from './checks/index.ts';
import { newestRunsOf } from './runs.ts';
import type { CheckItem, Exercise, ExerciseRuns } from './types.ts';

/** The participant's answer, unless --answer names another file. */
export const answerFileName = 'answer.yaml';

export interface CheckResult {
  exercise: Exercise;
  items: CheckItem[];
  /** True when nothing needs looking at again. */
  passed: boolean;
  /** The answer file read (or looked for), when the exercise has one. */
  answerPath?: string;
  /** The runs read, by scenario name. */
  runs: ExerciseRuns;
}

export interface CheckOptions {
  /** Where the runs are: results/ (or the reference's folder). */
  resultsDir: string;
  /** An answer file other than the exercise's answer.yaml. */
  answerPath?: string;
  deps: CheckDeps;
  /** A stored summary this build cannot read: told, and passed over. */
  onSkip?: (path: string, error: unknown) => void;
}

/** One exercise checked: its newest runs and the answer, through the exercise's own check. */
export async function checkExercise(exercise: Exercise, options: CheckOptions): Promise<CheckResult> {
  const check = exerciseChecks[exercise.letter];
  if (!check) {
    throw new TierlabError('UNKNOWN_NAME', `exercise ${exercise.letter} (${exercise.id}) has no check in src/workshops/checks/`, { details: { letter: exercise.letter } });
  }
  const runs: ExerciseRuns = exercise.runsOf ? await newestRunsOf(options.resultsDir, exercise.runsOf, options.onSkip) : new Map();
  const answerPath = exercise.answer ? resolve(options.answerPath ?? join(exercise.dir, answerFileName)) : undefined;
  let answer: unknown;
  try {
    answer = answerPath && check.answerSchema ? await loadAnswer(answerPath, check.answerSchema) : undefined;
  } catch (error) {
    // An answer with a field left at TODO, or mistyped, is something to look at again, not a crash.
    if (!isTierlabError(error, 'BAD_DATA_FILE')) throw error;
    const item: CheckItem = { verdict: 'look-again', about: 'answer', text: error.message, hint: 'each field of answer.template.yaml says what it takes; fill in every TODO' };
    return { exercise, items: [item], passed: false, ...(answerPath ? { answerPath } : {}), runs };
  }
  const items = await check.check({ runs, answer, answerPath: answerPath ?? '', exerciseDir: exercise.dir }, options.deps);
  return {
    exercise,
    items,
    passed: items.length > 0 && items.every((item) => item.verdict === 'right'),
    ...(answerPath ? { answerPath } : {}),
    runs,
  };
}

/** Where the reference answer of an exercise is, if it has one. */
export function referenceAnswerPath(exercise: Exercise): string | undefined {
  return exercise.reference.answer === undefined ? undefined : resolve(exercise.dir, exercise.reference.answer);
}
