import { describeError, TierlabError } from '../errors.ts';
import { human } from '../results/recommend.ts';
import { backlogGrowth, type BacklogOptions, type BacklogSample } from './backlog.ts';
import type { CapacityStep, TierCapacity } from '../results/capacity.ts';

/** What the measurement of one step (the tier run against real Kafka at one rate) reports. */
export interface ProbeResult {
  /** Events made visible per second over the step. */
  achievedPerSec: number;
  /** End-to-end p99 of the events measured in the step. */
  p99Micros: number;
  /** Events measured; 0 means the step produced no data. */
  count: number;
  /** The tier's backlog (produced, not yet visible), sampled over the step, about once a second. */
  backlog: BacklogSample[];
  generatorLagP99Micros: number;
  /** The open-loop generator could not hold its schedule: the rate was not really offered. */
  generatorFellBehind: boolean;
}

/** Runs the tier at an offered rate for one step and measures it. */
export type Probe = (offeredPerSec: number) => Promise<ProbeResult>;

export interface SearchOptions {
  /** The first step's offered rate, events/s (at least 1). */
  startPerSec: number;
  /** Each step offers this many times the previous one (> 1). Default 2. */
  factor?: number;
  /** Steps at most. Default 10; `--quick` uses 6. */
  maxSteps?: number;
  slaP99Micros: number;
  probe: Probe;
  /** Called as each step is recorded, for progress. */
  onStep?: (step: CapacityStep, index: number) => void;
  /** How the backlog is judged; the offered rate is filled in per step. */
  backlog?: Omit<BacklogOptions, 'offeredPerSec'>;
}

/**
 * Doubling finds the knee of a latency curve in few steps (10 steps span 512x) and lands on
 * round rates; a finer search between the last good and the first bad step is left to a
 * second run with a smaller factor.
 */
export const searchDefaults = { factor: 2, maxSteps: 10, quickMaxSteps: 6 } as const;

/** Below this share of the offered rate, a tier is not keeping up whatever its backlog says. */
export const minAchievedShare = 0.9;

const perSec = (rate: number) => `${Math.round(rate).toLocaleString('en-US')}/s`;
const events = (count: number) => Math.round(count).toLocaleString('en-US');

/** The offered rates of the steps: start, start x factor, ...; whole events/s, always rising. */
export function stepRates(startPerSec: number, factor: number, steps: number): number[] {
  const rates: number[] = [];
  for (let i = 0; i < steps; i++) rates.push(Math.max((rates[i - 1] ?? 0) + 1, Math.round(startPerSec * factor ** i)));
  return rates;
}

/** One step's verdict from its measurement: pure, so each rule is pinned by a unit test. */
export function judgeStep(
  offeredPerSec: number,
  probe: ProbeResult,
  slaP99Micros: number,
  backlogOptions: Omit<BacklogOptions, 'offeredPerSec'> = {},
): CapacityStep {
  const reasons: string[] = [];
  const hasData = probe.count > 0;
  const metSla = hasData && probe.p99Micros <= slaP99Micros;
  if (!hasData) reasons.push('no data: no event was measured in the step');
  else if (!metSla) reasons.push(`p99 ${human(probe.p99Micros)} over the SLA of ${human(slaP99Micros)}`);

  if (probe.generatorFellBehind) reasons.push(`the generator fell behind its schedule (lag p99 ${human(probe.generatorLagP99Micros)})`);
  const backlog = backlogGrowth(probe.backlog, { ...backlogOptions, offeredPerSec });
  if (backlog.grew) {
    reasons.push(`the backlog grew from ${events(backlog.earlyMin)} to ${events(backlog.lateMin)} events (more than ${events(backlog.thresholdEvents)})`);
  }
  const shortOfOffered = probe.achievedPerSec < minAchievedShare * offeredPerSec;
  if (shortOfOffered) reasons.push(`achieved ${perSec(probe.achievedPerSec)}, under ${minAchievedShare * 100}% of the offered ${perSec(offeredPerSec)}`);

  return {
    offeredPerSec,
    achievedPerSec: probe.achievedPerSec,
    p99Micros: hasData ? probe.p99Micros : 0,
    count: probe.count,
    generatorLagP99Micros: probe.generatorLagP99Micros,
    metSla,
    fellBehind: probe.generatorFellBehind || backlog.grew || shortOfOffered,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

/**
 * Steps a tier's offered rate up, open loop, until a step misses the SLA at p99 or falls
 * behind (that step is recorded too: it is where the curve bends), or until maxSteps. A probe
 * that throws ends the search with what was measured so far, as data: one tier's failure
 * must not cost the curves already drawn.
 */
export async function searchCapacity(options: SearchOptions): Promise<TierCapacity> {
  const factor = options.factor ?? searchDefaults.factor;
  const maxSteps = options.maxSteps ?? searchDefaults.maxSteps;
  validate(options.startPerSec, factor, maxSteps, options.slaP99Micros);
  const steps: CapacityStep[] = [];
  const result = (stoppedBecause: string, error?: string): TierCapacity => ({
    maxRatePerSec: steps.filter((s) => s.metSla && !s.fellBehind).reduce<number | null>((max, s) => Math.max(max ?? 0, s.offeredPerSec), null),
    steps,
    stoppedBecause,
    ...(error !== undefined ? { error } : {}),
  });

  for (const offeredPerSec of stepRates(options.startPerSec, factor, maxSteps)) {
    let measured: ProbeResult;
    try {
      measured = await options.probe(offeredPerSec);
    } catch (error) {
      const message = describeError(error);
      return result(`the measurement failed at ${perSec(offeredPerSec)}: ${message}`, message);
    }
    const step = judgeStep(offeredPerSec, measured, options.slaP99Micros, options.backlog);
    steps.push(step);
    options.onStep?.(step, steps.length - 1);
    if (step.count === 0) return result(`no data at ${perSec(offeredPerSec)}: no event was measured in the step`);
    if (!step.metSla || step.fellBehind) return result(`stopped at ${perSec(offeredPerSec)}: ${step.reason ?? 'missed the SLA'}`);
  }
  const last = steps[steps.length - 1]!;
  return result(`met the SLA without falling behind at every step up to ${perSec(last.offeredPerSec)}: reached the limit of ${maxSteps} steps`);
}

function validate(startPerSec: number, factor: number, maxSteps: number, slaP99Micros: number): void {
  const bad = (field: string, value: number, rule: string) =>
    new TierlabError('BAD_INPUT', `capacity search: ${field} must be ${rule} (got ${value})`, { details: { [field]: value } });
  if (!Number.isFinite(startPerSec) || startPerSec < 1) throw bad('startPerSec', startPerSec, 'at least 1 event/s');
  if (!Number.isFinite(factor) || factor <= 1) throw bad('factor', factor, 'greater than 1');
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw bad('maxSteps', maxSteps, 'a whole number of at least 1');
  if (!Number.isFinite(slaP99Micros) || slaP99Micros <= 0) throw bad('slaP99Micros', slaP99Micros, 'positive');
}
