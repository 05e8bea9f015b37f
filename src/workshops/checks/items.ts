import { human } from '../../results/recommend.ts';
import type { RunSummary, TierSummary } from '../../results/summary.ts';
import type { TierName } from '../../tiers/types.ts';
import type { CheckItem } from '../types.ts';

export const right = (about: CheckItem['about'], text: string): CheckItem => ({ verdict: 'right', about, text });

export const lookAgain = (about: CheckItem['about'], text: string, hint: string): CheckItem => ({ verdict: 'look-again', about, text, hint });

/** The answer file is missing: one item saying where to write it and from what. */
export function noAnswer(answerPath: string): CheckItem {
  return lookAgain('answer', `no answer file at ${answerPath}`, 'copy answer.template.yaml to answer.yaml in the exercise folder and fill in your predictions before you run anything');
}

/**
 * Why a run's tier cannot be used as evidence, or undefined when it can: it ran, finished,
 * equals the ground truth, accounts for every record, and measured events.
 */
export function tierProblem(summary: RunSummary, tier: TierName): string | undefined {
  const t: TierSummary | undefined = summary.tiers[tier];
  if (!t) return `run ${summary.runId} did not run the ${tier} tier`;
  if (t.state !== 'ok') return `${tier} errored in run ${summary.runId}: ${t.error ?? 'no reason given'}`;
  if (!t.correct) return `${tier} disagreed with the ground truth in run ${summary.runId} (${t.mismatches} windows differ)`;
  if (!t.deadLetters.reconciles) return `${tier}'s records do not reconcile in run ${summary.runId}`;
  if (t.latency.count === 0) return `${tier} measured no event after the warm-up in run ${summary.runId}`;
  return undefined;
}

/** A change as a word: within ±10% is the same. */
export type Direction = 'lower' | 'same' | 'higher';
export const directions: readonly Direction[] = ['lower', 'same', 'higher'];

export function direction(before: number, after: number, band = 0.1): Direction {
  const ratio = after / before;
  if (ratio < 1 - band) return 'lower';
  if (ratio > 1 + band) return 'higher';
  return 'same';
}

/** `x` is within a factor `factor` of `measured`, either way. */
export function withinFactor(x: number, measured: number, factor: number): boolean {
  return x > 0 && measured > 0 && x <= measured * factor && x >= measured / factor;
}

export const usd = (value: number) => `$${Math.round(value).toLocaleString('en-US')}/year`;
export { human };

/** What else, besides the exercise's one knob, may differ between its runs: the offered rate and the dataset. */
const otherKnobs = { rate: (r: RunSummary) => r.events.ratePerSec, dataset: (r: RunSummary) => r.scenario.dataset } as const;

/**
 * Why runs that should differ in one knob cannot be compared (they differ in another too), or
 * undefined. `except` names the knob the exercise turns, when it is one of these.
 */
export function notOneKnob(runs: RunSummary[], except?: keyof typeof otherKnobs): CheckItem | undefined {
  for (const [knob, read] of Object.entries(otherKnobs)) {
    if (knob === except) continue;
    const values = [...new Set(runs.map((run) => String(read(run))))];
    if (values.length > 1) {
      return lookAgain('run', `the runs differ in their ${knob} too (${values.join(' vs ')}), so the difference cannot be put down to one knob`, 'change only the knob the exercise is about: copy a scenario file and edit that one field');
    }
  }
  return undefined;
}
