import type { CheckItem, ExerciseCheck } from '../types.ts';
import { human, lookAgain, noAnswer, right } from './items.ts';

export interface KillAnswer {
  /** Before measuring: events lost (in the ground truth, missing from the result) after the kill. */
  lost: number;
  /** …events counted twice. */
  countedTwice: number;
  /** …seconds from the kill until results flow again. */
  recoverySec: number;
}

export const scenario = 'ws-e-kill';

/** A recovery prediction is right within this many seconds, or this share of the measurement, whichever is more. */
const recoverySlackSec = 5;
const recoverySlackShare = 0.5;

export const killCheck: ExerciseCheck<KillAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['lost', 'countedTwice', 'recoverySec'],
    properties: {
      lost: { type: 'integer', minimum: 0 },
      countedTwice: { type: 'integer', minimum: 0 },
      recoverySec: { type: 'number', minimum: 0 },
    },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const run = runs.get(scenario);
    const command = `tierlab tier streaming --scenario workshops/e-kill-a-worker/${scenario}.yaml --fault kill:streaming@8s`;
    if (!run) {
      items.push(lookAgain('run', `no run of ${scenario} yet`, `run: ${command}`));
      return items;
    }
    const fault = (run.faults ?? []).find((f) => f.spec.startsWith('kill:'));
    if (!fault) {
      items.push(lookAgain('run', `run ${run.runId} killed no worker`, `add --fault kill:TIER@T: ${command}`));
      return items;
    }
    const tier = run.tiers[fault.tier];
    if (!tier || tier.state !== 'ok') {
      items.push(lookAgain('run', `${fault.tier} did not finish in run ${run.runId}: ${tier?.error ?? 'not run'}`, 'kill it later in the stream (T well inside the scenario duration) and run again'));
      return items;
    }
    items.push(right('run', `run ${run.runId}: ${fault.spec} killed the ${fault.tier} worker and a new one took over`));
    const lost = tier.unseen;
    const twice = tier.appliedTwice;
    items.push(
      lost === 0 && twice === 0 && tier.correct
        ? right('lesson', `nothing lost, nothing counted twice: ${fault.tier} equals the ground truth after the kill (unseen 0, applied twice 0)`)
        : lookAgain('lesson', `${fault.tier} after the kill: unseen ${lost}, applied twice ${twice}, ${tier.correct ? 'correct' : 'NOT correct'}`, 'this is a bug in the tier, not in your run: keep the run folder and report it'),
    );
    if (fault.recoveryMicros === null) {
      items.push(lookAgain('lesson', 'no result became visible after the kill', 'kill earlier, so that the stream goes on for longer than the 10 s the group takes to notice a dead member'));
      return items;
    }
    const recoverySec = fault.recoveryMicros / 1e6;
    items.push(right('lesson', `results flowed again ${human(fault.recoveryMicros)} after the kill: most of it is the group's 10 s session timeout before it gives the dead worker's partitions away`));
    if (answer) {
      items.push(
        answer.lost === lost
          ? right('prediction', `you predicted ${answer.lost} lost: measured ${lost}`)
          : lookAgain('prediction', `you predicted ${answer.lost} lost: measured ${lost}`, 'offsets are committed only after the results they fed are written, so a new worker re-reads whatever the dead one had not finished'),
        answer.countedTwice === twice
          ? right('prediction', `you predicted ${answer.countedTwice} counted twice: measured ${twice}`)
          : lookAgain('prediction', `you predicted ${answer.countedTwice} counted twice: measured ${twice}`, 'each window records the offset it was applied through, and a re-delivered event at or before it is skipped (README: Nothing lost)'),
        Math.abs(answer.recoverySec - recoverySec) <= Math.max(recoverySlackSec, recoverySec * recoverySlackShare)
          ? right('prediction', `you predicted recovery in ${answer.recoverySec} s: measured ${recoverySec.toFixed(1)} s`)
          : lookAgain('prediction', `you predicted recovery in ${answer.recoverySec} s: measured ${recoverySec.toFixed(1)} s`, 'who notices that the worker died, and after how long? (the consumer group session timeout)'),
      );
    }
    return items;
  },
};
