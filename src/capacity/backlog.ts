/**
 * Did a tier keep up over a rate step? Its backlog (events produced but not yet visible) tells,
 * but not by its last value: a micro-batch tier holds a trigger's worth of events and then
 * empties them all at once, and the batch tier does the same on its schedule, so a healthy
 * backlog saw-tooths between ~0 and (rate x period). Judged on the end value, a saw-tooth
 * looks like growth whenever the step happens to end just before a trigger.
 *
 * The rule: compare the MINIMUM backlog in the last third of the step with the minimum in the
 * first third. A minimum sits in a trough, just after the tier emptied what it could, so
 * minima ignore the saw-tooth and rise only when each emptying leaves more behind than the
 * last: the tier is not keeping up. The backlog grew when
 *
 *   lateMin - earlyMin > threshold,  threshold = max(minGrowthEvents, offered/s x slackSec)
 *
 * where slackSec is at least one second and at least the largest gap between two samples:
 * a sampled trough is caught up to one sample interval after the true one, so two minima of
 * an identical saw-tooth can differ by up to (rate x sample interval). Defaults: 1,000 events,
 * 1 s, samples about once a second.
 *
 * Each third must hold a trough, so each window is made at least one `cycleMicros` long (the
 * tier's longest emptying period: trigger interval or batch schedule). Where two such windows
 * do not fit in the step, the step is too short to tell and the verdict is `judged: false`
 * (never "grew": the other signs of falling behind still apply).
 */

export interface BacklogSample {
  /** When the backlog was read, µs on the run's clock. */
  atMicros: number;
  /** Events produced but not yet visible in the tier's output. */
  backlog: number;
}

export interface BacklogOptions {
  /** The step's offered rate, events/s: growth is judged against what one second of it adds. */
  offeredPerSec: number;
  /** The smallest growth, in events, ever called growth. Default 1,000. */
  minGrowthEvents?: number;
  /** The slack, in seconds of the offered rate (raised to the largest sample gap). Default 1. */
  slackSec?: number;
  /** The tier's longest emptying period (micro-batch trigger, batch schedule), µs. Default 0. */
  cycleMicros?: number;
}

export interface BacklogVerdict {
  grew: boolean;
  /** False when there were too few samples, or the step was too short for two cycles. */
  judged: boolean;
  /** The smallest backlog in the first third of the step (0 when not judged). */
  earlyMin: number;
  /** The smallest backlog in the last third of the step (0 when not judged). */
  lateMin: number;
  thresholdEvents: number;
}

export const backlogDefaults = { minGrowthEvents: 1_000, slackSec: 1 } as const;

export function backlogGrowth(samples: readonly BacklogSample[], options: BacklogOptions): BacklogVerdict {
  const minGrowthEvents = options.minGrowthEvents ?? backlogDefaults.minGrowthEvents;
  const sorted = [...samples].sort((a, b) => a.atMicros - b.atMicros);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const notJudged = { grew: false, judged: false, earlyMin: 0, lateMin: 0, thresholdEvents: minGrowthEvents };
  if (first === undefined || last === undefined || sorted.length < 3) return notJudged;
  const spanMicros = last.atMicros - first.atMicros;
  const windowMicros = Math.max(spanMicros / 3, options.cycleMicros ?? 0);
  if (spanMicros <= 0 || 2 * windowMicros > spanMicros) return notJudged;

  let largestGapMicros = 0;
  for (let i = 1; i < sorted.length; i++) largestGapMicros = Math.max(largestGapMicros, sorted[i]!.atMicros - sorted[i - 1]!.atMicros);
  const slackSec = Math.max(options.slackSec ?? backlogDefaults.slackSec, largestGapMicros / 1e6);
  const thresholdEvents = Math.max(minGrowthEvents, options.offeredPerSec * slackSec);

  const minimum = (from: number, to: number) =>
    sorted.reduce((min, s) => (s.atMicros >= from && s.atMicros <= to ? Math.min(min, s.backlog) : min), Infinity);
  const earlyMin = minimum(first.atMicros, first.atMicros + windowMicros);
  const lateMin = minimum(last.atMicros - windowMicros, last.atMicros);
  return { grew: lateMin - earlyMin > thresholdEvents, judged: true, earlyMin, lateMin, thresholdEvents };
}

/** True when the backlog grew over the step (the tier could not keep up), by the rule above. */
export function backlogGrew(samples: readonly BacklogSample[], options: BacklogOptions): boolean {
  return backlogGrowth(samples, options).grew;
}
