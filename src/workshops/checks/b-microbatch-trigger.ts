import { parseDurationMs } from '../../parse.ts';
import type { RunSummary } from '../../results/summary.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { direction, directions, human, lookAgain, noAnswer, notOneKnob, right, tierProblem, usd, withinFactor, type Direction } from './items.ts';

export interface TriggerAnswer {
  /** Before measuring: the micro-batch p99 expected at each trigger, e.g. { 1s: 1.5s, 10s: 12s }. */
  p99: Record<string, string>;
  /** As the trigger grows: what happens to micro-batch's $/year on Kafka (always-on workers), and on the lake (a query every trigger). */
  kafkaCost: Direction;
  lakeCost: Direction;
}

/** A prediction of p99 is right within this factor of the measurement, either way. */
export const p99Factor = 1.5;

/** Micro-batch's p99 is its trigger (the wait) plus the write: this many times the trigger, plus this many seconds, at most. */
const overheadFactor = 1.5;
const overheadMicros = 2_000_000;

interface Point {
  run: RunSummary;
  triggerMs: number;
  p99Micros: number;
  kafkaUsd: number;
  lakeUsd: number | undefined;
}

export const triggerCheck: ExerciseCheck<TriggerAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['p99', 'kafkaCost', 'lakeCost'],
    properties: {
      p99: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' },
        additionalProperties: { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h|d)$' },
      },
      kafkaCost: { enum: [...directions] },
      lakeCost: { enum: [...directions] },
    },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const points: Point[] = [];
    for (const run of runs.values()) {
      const problem = tierProblem(run, 'microbatch');
      if (problem) {
        items.push(lookAgain('run', problem, `run it again: tierlab tier microbatch --scenario workshops/b-microbatch-trigger/${run.scenario.name}.yaml`));
        continue;
      }
      const tier = run.tiers.microbatch!;
      points.push({
        run,
        triggerMs: run.environment.schedule.microbatchTriggerMs,
        p99Micros: tier.latency.p99Micros,
        kafkaUsd: tier.cost.usdPerYear,
        lakeUsd: run.cost.variants.find((v) => v.architecture === 'microbatch-lake')?.usdPerYear,
      });
    }
    // One run per trigger: of two scenarios with the same trigger, the newer run stands.
    const byTrigger = new Map<number, Point>();
    for (const p of points.sort((a, b) => Date.parse(a.run.startedAt) - Date.parse(b.run.startedAt))) byTrigger.set(p.triggerMs, p);
    const measured = [...byTrigger.values()].sort((a, b) => a.triggerMs - b.triggerMs);
    if (measured.length < 2) {
      items.push(
        lookAgain(
          'run',
          `${measured.length === 0 ? 'no correct micro-batch run' : `one trigger measured (${human(measured[0]!.triggerMs * 1000)})`} of this exercise yet; it needs at least two triggers`,
          'run the tier with two or more of the scenario files: tierlab tier microbatch --scenario workshops/b-microbatch-trigger/ws-b-trigger-1s.yaml, then -10s.yaml, then -60s.yaml',
        ),
      );
      return items;
    }
    const mixed = notOneKnob(measured.map((p) => p.run));
    if (mixed) return [...items, mixed];
    items.push(right('run', `measured micro-batch at triggers ${measured.map((p) => `${human(p.triggerMs * 1000)} (run ${p.run.runId})`).join(', ')}`));
    items.push(...latencyLesson(measured), ...costLesson(measured));
    if (answer) items.push(...predictions(answer, measured));
    return items;
  },
};

function latencyLesson(measured: Point[]): CheckItem[] {
  const line = measured.map((p) => `${human(p.triggerMs * 1000)} -> p99 ${human(p.p99Micros)}`).join(', ');
  const grows = measured.every((p, i) => i === 0 || p.p99Micros > measured[i - 1]!.p99Micros);
  const items: CheckItem[] = [];
  items.push(
    grows
      ? right('lesson', `p99 grows with the trigger: ${line}`)
      : lookAgain('lesson', `p99 did not grow with the trigger: ${line}`, 'a run on a busy machine, or one too short to see a whole trigger, hides it: run the longer trigger again alone'),
  );
  const off = measured.filter((p) => p.p99Micros < p.triggerMs * 1000 * 0.8 || p.p99Micros > p.triggerMs * 1000 * overheadFactor + overheadMicros);
  items.push(
    off.length === 0
      ? right('lesson', 'each p99 is about its trigger: an event waits up to one trigger for the write that makes it visible, and the write itself is small beside it')
      : lookAgain(
          'lesson',
          `p99 far from the trigger: ${off.map((p) => `${human(p.triggerMs * 1000)} -> ${human(p.p99Micros)}`).join(', ')}`,
          'look at "Where the time goes" in the report: the wait should be most of it; a long publish or generator lag means the machine was busy',
        ),
  );
  return items;
}

function costLesson(measured: Point[]): CheckItem[] {
  const first = measured[0]!;
  const last = measured.at(-1)!;
  const kafka = direction(first.kafkaUsd, last.kafkaUsd);
  const items: CheckItem[] = [
    kafka === 'same'
      ? right('lesson', `on Kafka the trigger barely moves the cost (${usd(first.kafkaUsd)} -> ${usd(last.kafkaUsd)}): brokers and workers are always on, whatever the trigger`)
      : lookAgain('lesson', `on Kafka the cost moved ${kafka} with the trigger (${usd(first.kafkaUsd)} -> ${usd(last.kafkaUsd)})`, 'read the bill: the 3-broker minimum is assumed, the workers are sized from measured CPU; a busy machine inflates the CPU'),
  ];
  if (first.lakeUsd !== undefined && last.lakeUsd !== undefined) {
    const lake = direction(first.lakeUsd, last.lakeUsd);
    items.push(
      lake === 'lower'
        ? right('lesson', `on the lake a longer trigger is cheaper (${usd(first.lakeUsd)} -> ${usd(last.lakeUsd)}): fewer queries and fewer objects a day`)
        : lookAgain('lesson', `on the lake the cost moved ${lake} (${usd(first.lakeUsd)} -> ${usd(last.lakeUsd)})`, 'see "Other architectures" in the report: micro-batch on the lake pays a query and a delivered object every trigger'),
    );
  }
  return items;
}

function predictions(answer: TriggerAnswer, measured: Point[]): CheckItem[] {
  const items: CheckItem[] = [];
  for (const [trigger, predicted] of Object.entries(answer.p99)) {
    const point = measured.find((p) => p.triggerMs === parseDurationMs(trigger, `p99 key ${trigger}`));
    if (!point) continue; // a trigger not measured: nothing to hold the prediction against
    const predictedMicros = parseDurationMs(predicted, `p99 ${trigger}`) * 1000;
    items.push(
      withinFactor(predictedMicros, point.p99Micros, p99Factor)
        ? right('prediction', `trigger ${trigger}: you predicted p99 ${predicted}, measured ${human(point.p99Micros)}`)
        : lookAgain('prediction', `trigger ${trigger}: you predicted p99 ${predicted}, measured ${human(point.p99Micros)}`, 'an event arriving just after a trigger waits a whole trigger: the p99 is about the trigger itself'),
    );
  }
  const first = measured[0]!;
  const last = measured.at(-1)!;
  const kafka = direction(first.kafkaUsd, last.kafkaUsd);
  items.push(
    answer.kafkaCost === kafka
      ? right('prediction', `cost on Kafka: you predicted ${answer.kafkaCost}, measured ${kafka}`)
      : lookAgain('prediction', `cost on Kafka: you predicted ${answer.kafkaCost}, measured ${kafka}`, 'what does a Kafka cluster and an always-on consumer cost when they wait longer between writes?'),
  );
  if (first.lakeUsd !== undefined && last.lakeUsd !== undefined) {
    const lake = direction(first.lakeUsd, last.lakeUsd);
    items.push(
      answer.lakeCost === lake
        ? right('prediction', `cost on the lake: you predicted ${answer.lakeCost}, measured ${lake}`)
        : lookAgain('prediction', `cost on the lake: you predicted ${answer.lakeCost}, measured ${lake}`, 'on the lake each trigger is a billed query and an object written: count them per day'),
    );
  }
  return items;
}
