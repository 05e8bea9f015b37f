import type { Reads } from '../../metrics/staleness.ts';
import { recommend, slaP99Micros, type OrderFlip } from '../../results/recommend.ts';
import { restaleness } from '../../results/staleness-at-read.ts';
import type { RunSummary } from '../../results/summary.ts';
import { tierNames, type TierName } from '../../tiers/types.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { human, lookAgain, noAnswer, right, tierProblem, usd } from './items.ts';

/**
 * The three use cases of exercise (a): when each one's results are read, and how stale they may
 * be at those reads, at p99 (README of the exercise).
 */
export const useCases = [
  { id: 'board-report', what: "the board's weekly revenue report, read Mondays at 09:00", slaMicros: 7 * 86_400_000_000, reads: { kind: 'cron', cron: '0 9 * * MON', tz: 'Europe/London' } },
  { id: 'ops-dashboard', what: 'the operations dashboard the on-call engineer watches, refreshed every minute', slaMicros: 5 * 60_000_000, reads: { kind: 'every', everyMs: 60_000 } },
  { id: 'fraud-check', what: 'flagging a card before its next authorisation: a decision per event', slaMicros: 500_000, reads: { kind: 'continuous' } },
] as const satisfies ReadonlyArray<{ id: string; what: string; slaMicros: number; reads: Reads }>;

/** The run's tiers as one use case reads them: staleness at its reads, from what the run kept. */
function tiersReadAs(run: RunSummary, reads: Reads): RunSummary['tiers'] {
  const schedule = run.environment.schedule;
  const context = { reads, eventsPerDay: run.cost.eventsPerDay, ...(schedule.cron && schedule.tz ? { schedule: { cron: schedule.cron, tz: schedule.tz } } : {}) };
  return Object.fromEntries(Object.entries(run.tiers).map(([name, tier]) => [name, { ...tier, stalenessAtRead: restaleness(tier, tier.projectedLatency, context) }]));
}

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
      const tiers = tiersReadAs(run, useCase.reads);
      const measured = recommend(tiers, useCase.slaMicros, flips);
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
      const mine = tiers[chosen]!;
      const p99 = slaP99Micros(mine);
      const why =
        p99 > useCase.slaMicros
          ? `${chosen} is ${human(p99)} stale at those reads (p99): it misses the SLA`
          : `${chosen} meets it (${human(p99)} stale at p99) but costs ${usd(mine.cost.usdPerYear)}; ${measured.tier} meets it for ${usd(tiers[measured.tier]!.cost.usdPerYear)}`;
      items.push(
        lookAgain(
          'prediction',
          `${useCase.id} (${sla}): you chose ${chosen}, the measurement chooses ${measured.tier}: ${why}`,
          'the answer is the cheapest tier whose staleness when the results are read meets the SLA at p99 (batch: computed from its schedule); a tie in cost goes to the simpler tier. Compare the staleness-at-read column with the SLA, then the $/year column',
        ),
      );
    }
    return items;
  },
};
