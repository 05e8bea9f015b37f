import type { RunSummary } from '../../results/summary.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { direction, directions, human, lookAgain, noAnswer, notOneKnob, right, tierProblem, usd, withinFactor, type Direction } from './items.ts';

export interface ScheduleAnswer {
  /** Before measuring: how many times fresher (p99 under the real schedule) hourly is than nightly. */
  fresherBy: number;
  /** …and what happens to the batch tier's $/year. */
  cost: Direction;
}

export interface ScheduleDeps {
  /** The batch tier's $/year priced from `run`'s own measurement, its job standing for one every `realPeriodMs`. */
  batchUsdAt: (run: RunSummary, realPeriodMs: number) => Promise<number>;
}

export const nightly = 'ws-c-nightly';
export const hourly = 'ws-c-hourly';

/** Hourly must be at least this many times fresher than nightly for the lesson to show (24 in theory). */
const minFresherBy = 10;

export const scheduleCheck: ExerciseCheck<ScheduleAnswer, ScheduleDeps> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['fresherBy', 'cost'],
    properties: { fresherBy: { type: 'number', exclusiveMinimum: 0 }, cost: { enum: [...directions] } },
  },
  async check({ runs, answer, answerPath }, deps) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const pair: RunSummary[] = [];
    for (const name of [nightly, hourly]) {
      const run = runs.get(name);
      const problem = run ? tierProblem(run, 'batch') : `no run of ${name} yet`;
      if (problem) items.push(lookAgain('run', problem, `run: tierlab tier batch --scenario workshops/c-nightly-vs-hourly/${name}.yaml`));
      else pair.push(run!);
    }
    if (pair.length < 2) return items;
    const [n, h] = pair as [RunSummary, RunSummary];
    const nPeriod = n.environment.schedule.realPeriodMs;
    const hPeriod = h.environment.schedule.realPeriodMs;
    if (hPeriod >= nPeriod) {
      items.push(lookAgain('run', `the hourly run stands for a job every ${human(hPeriod * 1000)}, the nightly one every ${human(nPeriod * 1000)}`, 'the knob is batch.realPeriodMs: 86400000 in the nightly file, 3600000 in the hourly one'));
      return items;
    }
    const mixed = notOneKnob(pair);
    if (mixed) return [...items, mixed];
    items.push(right('run', `batch measured standing for a job every ${human(nPeriod * 1000)} (run ${n.runId}) and every ${human(hPeriod * 1000)} (run ${h.runId})`));
    const nP99 = n.tiers.batch!.projectedLatency?.p99Micros;
    const hP99 = h.tiers.batch!.projectedLatency?.p99Micros;
    if (nP99 === undefined || hP99 === undefined) {
      items.push(lookAgain('run', 'a batch run without a projected latency under its real schedule', 'these summaries come from an older tierlab: run both again'));
      return items;
    }
    const fresherBy = nP99 / hP99;
    items.push(
      fresherBy >= minFresherBy
        ? right('lesson', `under the real schedule (projected), p99 ${human(nP99)} nightly vs ${human(hP99)} hourly: ${fresherBy.toFixed(1)}x fresher; the wait for the next run is the latency`)
        : lookAgain('lesson', `hourly is only ${fresherBy.toFixed(1)}x fresher (p99 ${human(nP99)} vs ${human(hP99)})`, 'look at the job time in "Batch under the real schedule": a job that takes most of an hour leaves nothing to gain'),
    );
    // Two short runs differ in what they measured (S3 requests, bytes, job time per event) by more
    // than the schedule moves the bill, so the schedule's own effect is priced on one measurement.
    const nUsd = n.tiers.batch!.cost.usdPerYear;
    const hUsd = h.tiers.batch!.cost.usdPerYear;
    const sameNightly = await deps.batchUsdAt(n, nPeriod);
    const sameHourly = await deps.batchUsdAt(n, hPeriod);
    const cost = direction(sameNightly, sameHourly);
    items.push(
      right(
        'lesson',
        `priced on one measurement (run ${n.runId}), batch costs ${usd(sameNightly)} nightly and ${usd(sameHourly)} hourly (${cost}): ` +
          `the same events are delivered, stored and aggregated either way; only the job's per-run minimum grows with the runs. ` +
          `The two runs' own bills, ${usd(nUsd)} and ${usd(hUsd)}, differ by what two short runs measured, not by the schedule`,
      ),
    );
    if (answer) {
      items.push(
        withinFactor(answer.fresherBy, fresherBy, 1.5)
          ? right('prediction', `you predicted ${answer.fresherBy}x fresher, measured ${fresherBy.toFixed(1)}x`)
          : lookAgain('prediction', `you predicted ${answer.fresherBy}x fresher, measured ${fresherBy.toFixed(1)}x`, 'an event waits on average half a period for the next run, at p99 nearly a whole one: compare the periods'),
        answer.cost === cost
          ? right('prediction', `you predicted the cost ${answer.cost}, measured ${cost}`)
          : lookAgain('prediction', `you predicted the cost ${answer.cost}, measured ${cost}`, 'read the batch bill line by line: which lines depend on how often the job runs?'),
      );
    }
    return items;
  },
};
