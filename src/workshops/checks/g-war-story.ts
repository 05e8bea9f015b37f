import type { CheckItem, ExerciseCheck } from '../types.ts';
import { lookAgain, noAnswer, right, tierProblem, usd } from './items.ts';

export interface WarStoryAnswer {
  /** Before measuring: streaming's $/year over micro-batch's where streaming costs the seed's $180k (the seed says 6). */
  predictedRatio: number;
  /** After reading the report: reproduced or refuted. */
  verdict: 'reproduced' | 'refuted';
  /** After reading the report: the largest line of streaming's bill, as the report names it. */
  largestLine: string;
}

/** The run this exercise reads: exercise (a)'s, which measures micro-batch and streaming on one stream. */
export const scenario = 'ws-a-three-use-cases';

/** A predicted ratio is right within this factor of the one the cost model computes from the run. */
export const ratioFactor = 1.5;

export const warStoryCheck: ExerciseCheck<WarStoryAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['predictedRatio', 'verdict', 'largestLine'],
    properties: {
      predictedRatio: { type: 'number', exclusiveMinimum: 0 },
      verdict: { enum: ['reproduced', 'refuted'] },
      largestLine: { type: 'string', minLength: 1 },
    },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const run = runs.get(scenario);
    if (!run) {
      items.push(lookAgain('run', `no run of ${scenario} yet (exercise (a)'s run; this exercise needs no other)`, 'run: tierlab run workshops/a-max-latency/ws-a-three-use-cases.yaml'));
      return items;
    }
    const problems = (['microbatch', 'streaming'] as const).map((tier) => tierProblem(run, tier)).filter((p) => p !== undefined);
    const story = run.cost.warStory;
    if (problems.length > 0 || story.streamingOverMicrobatch === null || story.verdict === 'not reached') {
      items.push(lookAgain('run', problems.length > 0 ? problems.join('; ') : `the war story was not reached in run ${run.runId}: ${story.why}`, 'run exercise (a) again: this one is arithmetic over its run'));
      return items;
    }
    const ratio = story.streamingOverMicrobatch;
    items.push(
      right(
        'run',
        `run ${run.runId} (exercise (a)'s): streaming reaches $180,000/year at ${story.eventsPerDay!.toExponential(2)} events/day, ` +
          `where micro-batch costs ${usd(story.usdPerYear.microbatch ?? 0)}: ${ratio.toFixed(2)}x (the seed says 6x)`,
      ),
    );
    const lines = [...run.tiers.streaming!.cost.lines].sort((a, b) => b.usdPerYear - a.usdPerYear);
    const largest = lines[0]!;
    if (answer) {
      items.push(
        answer.verdict === story.verdict
          ? right('answer', `verdict ${answer.verdict}, as the report says: ${story.why}`)
          : lookAgain('answer', `you say ${answer.verdict}; the cost model says ${story.verdict}`, 'read "The seed\'s war story" in report.md: within a quarter of 6x counts as reproduced'),
        answer.predictedRatio <= ratio * ratioFactor && answer.predictedRatio >= ratio / ratioFactor
          ? right('prediction', `you predicted ${answer.predictedRatio}x, the model computes ${ratio.toFixed(2)}x`)
          : lookAgain('prediction', `you predicted ${answer.predictedRatio}x, the model computes ${ratio.toFixed(2)}x`, 'both always-on tiers pay for the same kind of Kafka cluster: which lines of the two bills differ at all?'),
        sameLine(answer.largestLine, largest.name)
          ? right('answer', `streaming's largest line is ${largest.name} (${usd(largest.usdPerYear)}, ${largest.basis}), as you say`)
          : lookAgain('answer', `streaming's largest line is ${largest.name} (${usd(largest.usdPerYear)}, ${largest.basis}), not "${answer.largestLine}"`, 'open "What the cost is built from" in the report and sort streaming\'s lines by $/year'),
      );
    }
    return items;
  },
};

const sameLine = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
