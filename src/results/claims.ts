import { human } from './recommend.ts';
import type { RunSummary, TierSummary } from './summary.ts';
import type { TierName } from '../tiers/types.ts';

export type Verdict = 'reproduced' | 'refuted' | 'not measured';

/** One of the seed's claims, the lab's verdict on it, the figures and the stored runs it rests on. */
export interface ClaimVerdict {
  id: string;
  claim: string;
  verdict: Verdict;
  /** The measured and computed figures the verdict reads, in words. */
  figures: string;
  /** Run ids; none for "not measured". */
  runs: string[];
  /** What the verdict takes as given rather than measured. */
  assumed: string;
  /** For "not measured": the command that would measure it. */
  toMeasure?: string;
}

const hour = 3_600_000_000;
const day = 24 * hour;
const second = 1_000_000;

/** A tier that finished correctly and measured something: only such a tier's figures judge a claim. */
function usable(tier: TierSummary | undefined): tier is TierSummary {
  return tier !== undefined && tier.state === 'ok' && tier.correct && tier.latency.count > 0;
}

/** Full runs before quick ones, then the newest: the run a claim is judged on. */
function best(runs: RunSummary[]): RunSummary | undefined {
  return [...runs].sort((a, b) => Number(a.scenario.quick) - Number(b.scenario.quick) || Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
}

function withTier(runs: RunSummary[], name: TierName, scenario?: string): RunSummary | undefined {
  return best(runs.filter((run) => usable(run.tiers[name]) && (scenario === undefined || run.scenario.name === scenario)));
}

const notMeasured = (id: string, claim: string, assumed: string, toMeasure: string): ClaimVerdict => ({
  id,
  claim,
  verdict: 'not measured',
  figures: 'no stored run measured it',
  runs: [],
  assumed,
  toMeasure,
});

const pricesAssumed =
  'prices from the price sheet (bench/pricing), the production architectures (bench/architectures: 3-broker minimum, worker sizing) and the scenario\'s daily volume; resource use per event measured';

/** batch: hours to a day. Judged on the per-event latency under the real (daily) schedule, computed from the measured job time. */
function batchHours(runs: RunSummary[]): ClaimVerdict {
  const id = 'batch-hours';
  const claim = 'Batch gives results in hours to a day';
  const assumed = "the real schedule (the scenario's batch job, e.g. nightly) and daily volume; the job time per event is measured";
  const run = best(runs.filter((r) => usable(r.tiers.batch) && r.tiers.batch!.projectedLatency));
  if (!run) return notMeasured(id, claim, assumed, 'tierlab run demo --quick');
  const projected = run.tiers.batch!.projectedLatency!;
  const inRange = projected.p50Micros >= hour && projected.p99Micros <= 2 * day;
  return {
    id,
    claim,
    verdict: inRange ? 'reproduced' : 'refuted',
    figures: `batch p50 ${human(projected.p50Micros)}, p99 ${human(projected.p99Micros)} under a job every ${human(run.environment.schedule.realPeriodMs * 1000)} (computed from the measured job time)`,
    runs: [run.runId],
    assumed,
  };
}

/** micro-batch: 1–60 s. Judged on the measured per-event latency. */
function microbatchSeconds(runs: RunSummary[]): ClaimVerdict {
  const id = 'microbatch-seconds';
  const claim = 'Micro-batch gives results in 1–60 seconds';
  const assumed = "the trigger interval the scenario sets (the lab's 5–30 s)";
  const run = withTier(runs, 'microbatch');
  if (!run) return notMeasured(id, claim, assumed, 'tierlab run demo --quick');
  const latency = run.tiers.microbatch!.latency;
  const inRange = latency.p50Micros >= second && latency.p99Micros <= 60 * second;
  return {
    id,
    claim,
    verdict: inRange ? 'reproduced' : 'refuted',
    figures: `micro-batch p50 ${human(latency.p50Micros)}, p99 ${human(latency.p99Micros)} at a ${human(run.environment.schedule.microbatchTriggerMs * 1000)} trigger (measured)`,
    runs: [run.runId],
    assumed,
  };
}

/** A claim that a scenario's own run recommends a tier: judged on that scenario's newest finished run. */
function scenarioRecommends(runs: RunSummary[], id: string, claim: string, scenario: string, tier: TierName, assumed: string): ClaimVerdict {
  const run = best(runs.filter((r) => r.scenario.name === scenario && Object.values(r.tiers).every((t) => t.state === 'ok')));
  if (!run) return notMeasured(id, claim, assumed, `tierlab run ${scenario} --quick`);
  return {
    id,
    claim,
    verdict: run.recommendation.tier === tier ? 'reproduced' : 'refuted',
    figures: `${scenario} (SLA ${human(run.sla.p99Micros)}): ${run.recommendation.why}`,
    runs: [run.runId],
    assumed,
  };
}

/** micro-batch covers "within a few minutes": the ops dashboard's recommendation. */
const microbatchMinutes = (runs: RunSummary[]) =>
  scenarioRecommends(
    runs,
    'microbatch-minutes',
    'Micro-batch covers the "within a few minutes" case',
    'ops-dashboard',
    'microbatch',
    'the ops-dashboard scenario: SLA 5 min on staleness at read, read every minute; costs: ' + pricesAssumed,
  );

/** streaming: milliseconds. Judged on the measured per-event latency: sub-second at p99. */
function streamingMillis(runs: RunSummary[]): ClaimVerdict {
  const id = 'streaming-millis';
  const claim = 'Streaming gives results in milliseconds';
  const assumed = 'nothing priced; one machine, one broker (the figures are what this lab measured)';
  const run = withTier(runs, 'streaming');
  if (!run) return notMeasured(id, claim, assumed, 'tierlab run demo --quick');
  const latency = run.tiers.streaming!.latency;
  const inRange = latency.p99Micros < second;
  return {
    id,
    claim,
    verdict: inRange ? 'reproduced' : 'refuted',
    figures: `streaming p50 ${human(latency.p50Micros)}, p99 ${human(latency.p99Micros)} (measured, ${run.environment.cpus} CPUs, ${run.environment.servicesMode} services)`,
    runs: [run.runId],
    assumed,
  };
}

/** The Monday dashboard needs (no more than) batch: exec-dashboard's recommendation. */
const mondayBatch = (runs: RunSummary[]) =>
  scenarioRecommends(
    runs,
    'monday-batch',
    'The Monday-morning executive dashboard needs batch, not streaming',
    'exec-dashboard',
    'batch',
    'the exec-dashboard scenario: read Mondays 09:00, SLA a day of staleness at read, nightly job at 02:00; costs: ' + pricesAssumed,
  );

/** $30k (batch) vs $180k (streaming) a year: the war story, priced at the volume where streaming costs $180k. */
function warStoryDollars(runs: RunSummary[]): ClaimVerdict {
  const id = 'war-story-dollars';
  const claim = 'Streaming costs $180k/year where batch costs $30k';
  const run = best(runs.filter((r) => r.cost.warStory.verdict !== 'not reached' && r.cost.warStory.usdPerYear.batch !== undefined));
  if (!run) return notMeasured(id, claim, pricesAssumed, 'tierlab run demo --quick');
  const story = run.cost.warStory;
  const batch = story.usdPerYear.batch!;
  // Within a quarter of the seed's $30k, as the 6x check allows.
  const reproduced = Math.abs(batch / 30_000 - 1) <= 0.25;
  return {
    id,
    claim,
    verdict: reproduced ? 'reproduced' : 'refuted',
    figures: `at ${story.eventsPerDay!.toExponential(2)} events/day, where streaming costs $180,000/year, batch costs $${Math.round(batch).toLocaleString('en-US')}`,
    runs: [run.runId],
    assumed: pricesAssumed,
  };
}

/** "Streaming is 6x more expensive than micro-batch": the war story's ratio. */
function sixTimes(runs: RunSummary[]): ClaimVerdict {
  const id = 'six-times';
  const claim = 'Streaming is 6x more expensive than micro-batch';
  const run = best(runs.filter((r) => r.cost.warStory.streamingOverMicrobatch !== null));
  if (!run) return notMeasured(id, claim, pricesAssumed, 'tierlab run demo --quick');
  const story = run.cost.warStory;
  const atVolume = run.tiers.streaming && run.tiers.microbatch ? run.tiers.streaming.cost.usdPerYear / run.tiers.microbatch.cost.usdPerYear : undefined;
  return {
    id,
    claim,
    verdict: story.verdict === 'reproduced' ? 'reproduced' : 'refuted',
    figures:
      `${story.streamingOverMicrobatch!.toFixed(2)}x where streaming costs $180k/year` +
      (atVolume !== undefined ? `; ${atVolume.toFixed(2)}x at the scenario's ${run.cost.eventsPerDay.toExponential(1)} events/day` : ''),
    runs: [run.runId],
    assumed: pricesAssumed,
  };
}

/** Every claim of the seed, judged on stored runs only (`tierlab claims`; docs/cost.md). */
export function judgeClaims(runs: RunSummary[]): ClaimVerdict[] {
  return [batchHours(runs), microbatchSeconds(runs), microbatchMinutes(runs), streamingMillis(runs), mondayBatch(runs), warStoryDollars(runs), sixTimes(runs)];
}

