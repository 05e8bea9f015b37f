import type { RunSummary } from '../../results/summary.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { direction, directions, human, lookAgain, noAnswer, notOneKnob, right, tierProblem, type Direction } from './items.ts';

export interface HotKeyAnswer {
  /** Before measuring: does streaming still equal the ground truth with one key carrying half the traffic? */
  stillCorrect: boolean;
  /** …and the bytes it writes to its results topic per event: lower, same or higher. */
  bytesPerEvent: Direction;
}

export const spread = 'ws-d-spread';
export const hot = 'ws-d-hot-key';

const bytesPerEvent = (run: RunSummary) => {
  const usage = run.tiers.streaming!.usage;
  return usage.kafkaBytesWritten / usage.events;
};

export const hotKeyCheck: ExerciseCheck<HotKeyAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['stillCorrect', 'bytesPerEvent'],
    properties: { stillCorrect: { type: 'boolean' }, bytesPerEvent: { enum: [...directions] } },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const pair: RunSummary[] = [];
    for (const name of [spread, hot]) {
      const run = runs.get(name);
      const problem = run ? tierProblem(run, 'streaming') : `no run of ${name} yet`;
      if (problem) items.push(lookAgain('run', problem, `run: tierlab tier streaming --scenario workshops/d-hot-key/${name}.yaml`));
      else pair.push(run!);
    }
    if (pair.length < 2) return items;
    const [s, h] = pair as [RunSummary, RunSummary];
    if (s.scenario.dataset === h.scenario.dataset) {
      items.push(lookAgain('run', `both runs used the dataset ${s.scenario.dataset}`, 'the knob is the dataset: ws-d-hot-key.yaml names workshops/d-hot-key/payments-hot-key.yaml'));
      return items;
    }
    const mixed = notOneKnob(pair, 'dataset');
    if (mixed) return [...items, mixed];
    items.push(right('lesson', `with one key carrying half the traffic, streaming still equals the ground truth (runs ${s.runId} and ${h.runId}): every key's events stay in order on one partition`));
    const sBytes = bytesPerEvent(s);
    const hBytes = bytesPerEvent(h);
    const bytes = direction(sBytes, hBytes, 0.2);
    items.push(
      bytes === 'lower'
        ? right('lesson', `results written per event: ${sBytes.toFixed(0)} B spread, ${hBytes.toFixed(0)} B with the hot key: many of the hot card's events land in one window, written once per batch`)
        : lookAgain('lesson', `results written per event: ${sBytes.toFixed(0)} B spread, ${hBytes.toFixed(0)} B with the hot key (${bytes})`, 'check that the hot-key run used payments-hot-key.yaml (hotKeys 1, hotShare 0.5)'),
    );
    const sP99 = s.tiers.streaming!.latency.p99Micros;
    const hP99 = h.tiers.streaming!.latency.p99Micros;
    // Not judged: at a workshop's rate one partition keeps up, and a laptop's noise is larger than the effect.
    items.push(
      right(
        'lesson',
        `p99 ${human(sP99)} spread, ${human(hP99)} with the hot key: half the traffic now goes through one partition and one consumer; ` +
          '`tierlab capacity` on each scenario shows where that partition stops keeping up',
      ),
    );
    if (answer) {
      items.push(
        answer.stillCorrect
          ? right('prediction', 'you predicted streaming stays correct: it does')
          : lookAgain('prediction', 'you predicted streaming goes wrong with a hot key: it stays correct', 'Kafka keeps one key on one partition, in order; skew slows a partition down, it does not reorder or drop events'),
        answer.bytesPerEvent === bytes
          ? right('prediction', `you predicted bytes written per event ${answer.bytesPerEvent}: measured ${bytes}`)
          : lookAgain('prediction', `you predicted bytes written per event ${answer.bytesPerEvent}: measured ${bytes}`, 'the tier writes each touched window once per batch: how many distinct windows does a batch touch when half its events share one key?'),
      );
    }
    return items;
  },
};
