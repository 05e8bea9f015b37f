import type { RunSummary } from '../results/summary.ts';
import type { TierName } from '../tiers/types.ts';

/**
 * One finding of `tierlab workshop check`. `right` says what the participant got right;
 * `look-again` says what to look at again, and fails the check.
 * - run: the runs the exercise needs exist, ran the right knob, and finished correctly;
 * - lesson: the measured effect the exercise is about is there (latency grew with the trigger…);
 * - prediction: what the participant wrote down before measuring, against the measurement.
 */
export interface CheckItem {
  verdict: 'right' | 'look-again';
  about: 'run' | 'lesson' | 'prediction' | 'answer';
  text: string;
  /** For look-again: where to look, or what to try. */
  hint?: string;
}

/** workshops/<folder>/workshop.yaml: an exercise as data. */
export interface ExerciseFile {
  /** a, b, c…: the letter the issue and the READMEs use; its place in that order is its number. */
  letter: string;
  title: string;
  /** Time to plan in a room, briefing and discussion included. */
  minutes: number;
  /** The lesson, one line. */
  teaches: string;
  /**
   * The runs `check` reads: the newest run of every scenario whose name starts with this prefix
   * (so a participant's own `ws-b-trigger-30s.yaml` counts too). Absent: the exercise needs no run.
   */
  runsOf?: string;
  /** Whether `check` reads an answer file (answer.yaml in the exercise's folder, or --answer). */
  answer: boolean;
  reference: {
    /** The runs of the reference solution, made with the scenarios' quick durations and no warm-up. */
    runs: ReferenceRun[];
    /** The reference answer, relative to the exercise's folder. */
    answer?: string;
  };
}

/**
 * One run of a reference solution: what `tierlab tier TIER --scenario FILE --quick --no-warmup
 * [--fault SPEC]` does (or `tierlab run FILE …` for all three tiers).
 */
export interface ReferenceRun {
  /** The scenario file, relative to the exercise's folder. */
  scenario: string;
  /** One tier alone, or all three (`run`). */
  tier?: TierName;
  /** --fault specs, e.g. kill:streaming@3s. */
  faults?: string[];
}

/** An exercise as loaded: its file, where it lives, and its number. */
export interface Exercise extends ExerciseFile {
  number: number;
  /** The folder name, e.g. b-microbatch-trigger. */
  id: string;
  dir: string;
}

/** The newest run of each scenario of an exercise, by scenario name. */
export type ExerciseRuns = Map<string, RunSummary>;

/** What a check reads: the exercise's newest runs and the participant's answer (undefined: no file). */
export interface CheckContext<A> {
  runs: ExerciseRuns;
  answer: A | undefined;
  answerPath: string;
  /** The exercise's folder: paths in an answer are relative to it. */
  exerciseDir: string;
}

/** One exercise's check: its answer file's schema and a function from runs and answer to items. */
export interface ExerciseCheck<A, D> {
  answerSchema?: import('ajv').SchemaObject;
  check(context: CheckContext<A>, deps: D): Promise<CheckItem[]>;
}
