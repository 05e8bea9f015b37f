import { TierlabError } from '../errors.ts';
import type { LatencyStats } from './histogram.ts';

/**
 * The batch tier's latency under its real schedule, computed rather than sampled.
 *
 * The lab runs the "nightly" job on a compressed period and measures only a few cycles, too few to
 * sample the wait for the next run, and at the lab's volume the job itself takes under a second. So
 * the figure the SLA is judged against is computed from two things the run did measure well:
 *
 * - W, the wait for the next run: an event arriving uniformly in time waits W ~ Uniform(0, P) for
 *   the next run of the real schedule (P = realPeriodMs);
 * - J, the job time at the real volume: that run processes the P's worth of events that arrived
 *   since the last one, eventsPerDay × P / 86,400,000 ms of them, at the job seconds per event the
 *   lab measured (job seconds summed over its runs / events made visible). Its results become visible
 *   when it finishes.
 *
 * Latency L = W + J, so its quantile q is exactly q·P + J: p50 = P/2 + J, p99 = 0.99·P + J,
 * p99.9 = 0.999·P + J, max = P + J (and the mean, which LatencyStats does not carry, P/2 + J).
 *
 * What it leaves out, on purpose: the shape of the daily volume (arrivals are taken as uniform in
 * time; a diurnal rate puts more of them just after or before the run), any fixed per-run start-up
 * in the job (its time is taken as linear in the events it processes), and the seconds an event
 * spends landing in the lake before the run and being published after it, which are seconds against
 * a P of hours. Nor is it capped at the histograms' 48 h range: a weekly schedule reads as such.
 */

const msPerDay = 86_400_000;

export interface ScheduleLatencyInput {
  /** The real schedule's period: 86,400,000 for a nightly job. > 0. */
  realPeriodMs: number;
  /** The job's measured seconds per event it made visible (0 when no job time was measured). >= 0. */
  jobSecondsPerEvent: number;
  /** The production volume the run is projected to. >= 0. */
  eventsPerDay: number;
  /** The measured events the figure stands for: LatencyStats.count. A whole number >= 0. */
  count: number;
}

function check(name: string, value: number, ok: (value: number) => boolean, rule: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new TierlabError('BAD_INPUT', `${name} must be ${rule}, got ${String(value)}`, { details: { [name]: value } });
  }
}

/** J: the real schedule's job time, in µs, for one run at the real volume. */
export function realJobMicros(input: Pick<ScheduleLatencyInput, 'realPeriodMs' | 'jobSecondsPerEvent' | 'eventsPerDay'>): number {
  check('realPeriodMs', input.realPeriodMs, (v) => v > 0, 'a finite number of ms above 0');
  check('jobSecondsPerEvent', input.jobSecondsPerEvent, (v) => v >= 0, 'a finite number of seconds, 0 or more');
  check('eventsPerDay', input.eventsPerDay, (v) => v >= 0, 'a finite number of events, 0 or more');
  const eventsPerRun = (input.eventsPerDay * input.realPeriodMs) / msPerDay;
  return input.jobSecondsPerEvent * eventsPerRun * 1e6;
}

/**
 * The latency of `count` events under the real schedule, as the LatencyStats every other figure
 * uses, each percentile exactly q·P + J rounded to the µs. `count` is the number of measured events
 * it describes (the model has no sample size of its own); `maxMicros` is the bound P + J, the latency
 * of an event arriving just after a run started, not the largest of a sample. With count 0 the tier
 * measured nothing and every figure is 0, as for an empty histogram: no data, never a latency of 0.
 */
export function realScheduleLatency(input: ScheduleLatencyInput): LatencyStats {
  const jobMicros = realJobMicros(input);
  check('count', input.count, (v) => Number.isInteger(v) && v >= 0, 'a whole number, 0 or more');
  if (input.count === 0) return { count: 0, p50Micros: 0, p90Micros: 0, p99Micros: 0, p999Micros: 0, maxMicros: 0 };
  const periodMicros = input.realPeriodMs * 1000;
  const at = (quantile: number) => Math.round(quantile * periodMicros + jobMicros);
  return { count: input.count, p50Micros: at(0.5), p90Micros: at(0.9), p99Micros: at(0.99), p999Micros: at(0.999), maxMicros: at(1) };
}

/** What a run measured of the batch job, as summary.json keeps it (TierSummary's latency and usage). */
export interface MeasuredJob {
  latency: { count: number };
  usage: {
    /** Events the tier made visible: the job time is spread over these. */
    events: number;
    /** Seconds its job ran, summed over runs; absent or 0 when none was measured. */
    jobSeconds?: number;
  };
}

/** The volume and schedule to project to: a scenario's, or another daily volume (`tierlab advise --volume`). */
export interface RealVolume {
  eventsPerDay: number;
  realPeriodMs: number;
}

/** Job seconds per visible event; 0 when no event was made visible or no job time was measured. */
export function jobSecondsPerEvent(usage: MeasuredJob['usage']): number {
  const jobSeconds = usage.jobSeconds ?? 0;
  check('jobSeconds', jobSeconds, (v) => v >= 0, 'a finite number of seconds, 0 or more');
  check('events', usage.events, (v) => v >= 0, 'a finite number of events, 0 or more');
  return usage.events > 0 ? jobSeconds / usage.events : 0;
}

/** The projected latency of a tier from what it measured, at a daily volume and real period. */
export function projectScheduleLatency(measured: MeasuredJob, volume: RealVolume): LatencyStats {
  return realScheduleLatency({
    realPeriodMs: volume.realPeriodMs,
    eventsPerDay: volume.eventsPerDay,
    jobSecondsPerEvent: jobSecondsPerEvent(measured.usage),
    count: measured.latency.count,
  });
}

/**
 * A stored tier's `projectedLatency` again at another daily volume (`tierlab advise --volume`):
 * undefined for a tier that projected none (only batch declares one), else computed as at run time.
 * realPeriodMs is the run's, summary.environment.schedule.realPeriodMs.
 */
export function reprojectLatency(tier: MeasuredJob & { projectedLatency?: LatencyStats }, volume: RealVolume): LatencyStats | undefined {
  return tier.projectedLatency ? projectScheduleLatency(tier, volume) : undefined;
}
