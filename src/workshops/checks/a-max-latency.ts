import { recommend, slaP99Micros, type OrderFlip } from '../../report/recommend.ts';
import type { RunSummary } from '../../report/summary.ts';
import { tierNames, type TierName } from '../../tiers/types.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { human, lookAgain, noAnswer, right, tierProblem, usd } from './items.ts';

/** The three use cases of exercise (a), with the latency each can accept at p99 (README of the exercise). */
export const useCases = [
  { id: 'board-report', what: "the board's weekly revenue report", slaMicros: 7 * 86_400_000_000 },
  { id: 'ops-dashboard', what: 'the operations dashboard the on-call engineer watches', slaMicros: 5 * 60_000_000 },
  { id: 'fraud-check', what: 'flagging a card before its next authorisation', slaMicros: 500_000 },
] as const;

export type UseCaseId = (typeof useCases)[number]['id'];

export interface MaxLatencyAnswer {
  /** Before measuring: the tier each use case needs. */
  choices: Record<UseCaseId, TierName>;
}

export interface MaxLatencyDeps {
  /** The report's tie rule for this run (an assumption at half or double reverses two tiers' order). */
  flipsFor: (run: RunSummary) => Promise<OrderFlip>;
}

export const scenario = 'ws-a-three-use-cases';

export const maxLatencyCheck: ExerciseCheck<MaxLatencyAnswer, MaxLatencyDeps> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['choices'],
    properties: {
      choices: {
        type: 'object',
        additionalProperties: false,
        required: useCases.map((u) => u.id),
        properties: Object.fromEntries(useCases.map((u) => [u.id, { enum: [...tierNames] }])),
      },
    },
  },
  async check({ runs, answer, answerPath }, deps) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const run = runs.get(scenario);
    if (!run) {
      items.push(lookAgain('run', `no run of ${scenario} yet`, `run all three tiers: tierlab run workshops/a-max-latency/${scenario}.yaml`));
      return items;
    }
    const problems = tierNames.map((tier) => tierProblem(run, tier)).filter((p) => p !== undefined);
    if (problems.length > 0) {
      items.push(lookAgain('run', problems.join('; '), 'every tier must finish and match the ground truth before its numbers mean anything: run it again, alone on the machine'));
      return items;
    }
    items.push(right('run', `run ${run.runId}: all three tiers finished and match the ground truth`));
    const flips = await deps.flipsFor(run);
    for (const useCase of useCases) {
      const measured = recommend(run.tiers, useCase.slaMicros, flips);
      const chosen = answer?.choices[useCase.id];
      const sla = `SLA ${human(useCase.slaMicros)}`;
      if (measured.tier === null) {
        items.push(lookAgain('lesson', `${useCase.id} (${sla}): no tier met it in run ${run.runId}: ${measured.why}`, 'a loaded machine can push streaming past 500 ms: run it again with nothing else running'));
        continue;
      }
      if (chosen === undefined) continue;
      if (chosen === measured.tier) {
        items.push(right('prediction', `${useCase.id} (${sla}): you chose ${chosen}, and so does the measurement: ${measured.why}`));
        continue;
      }
      const mine = run.tiers[chosen]!;
      const p99 = slaP99Micros(mine);
      const why =
        p99 > useCase.slaMicros
          ? `${chosen}'s p99 is ${human(p99)}${mine.projectedLatency ? ' under its real schedule (projected)' : ''}: it misses the SLA`
          : `${chosen} meets it (p99 ${human(p99)}) but costs ${usd(mine.cost.usdPerYear)}; ${measured.tier} meets it for ${usd(run.tiers[measured.tier]!.cost.usdPerYear)}`;
      items.push(
        lookAgain(
          'prediction',
          `${useCase.id} (${sla}): you chose ${chosen}, the measurement chooses ${measured.tier}: ${why}`,
          'the answer is the cheapest tier whose p99 meets the SLA (batch judged under its real schedule); a tie in cost goes to the simpler tier. Compare the p99 column with the SLA, then the $/year column',
        ),
      );
    }
    return items;
  },
};
