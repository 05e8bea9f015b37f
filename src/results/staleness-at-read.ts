import type { LatencyStats } from '../metrics/histogram.ts';
import { jobSecondsPerEvent, type MeasuredJob } from '../metrics/schedule-latency.ts';
import { batchStalenessAtReads, type Reads, type StalenessStats } from '../metrics/staleness.ts';
import { parseDurationMs } from '../parse.ts';
import type { RunSummary, StalenessAtRead, TierSummary } from './summary.ts';

/** What staleness at read depends on besides the tier: when the results are read, the volume, and the real schedule's phase. */
export interface ReadsContext {
  reads: Reads;
  eventsPerDay: number;
  /** The real schedule as a cron in a time zone, where the scenario gave one. */
  schedule?: { cron: string; tz: string };
}

/** A tier's figures that staleness at read is taken from. */
export interface ReadsEvidence extends MeasuredJob {
  /** Per-event latency, as measured. */
  measured: LatencyStats;
  /** Per-event latency under the real schedule (a tier that declared one); else undefined. */
  projected?: LatencyStats;
  /** Staleness at read instants while the stream ran (TierLatency's grid). */
  measuredAtReads: StalenessStats;
}

const of = (stats: { p50Micros: number; p99Micros: number; maxMicros: number }, reads: number, basis: StalenessAtRead['basis']): StalenessAtRead => ({
  reads,
  p50Micros: stats.p50Micros,
  p99Micros: stats.p99Micros,
  maxMicros: stats.maxMicros,
  basis,
});

/**
 * Staleness at read: at each read, the age of the oldest event not yet visible (docs/measurement.md).
 *
 * - Continuous reads (a decision per event): the per-event latency, under the real schedule for a
 *   tier that runs on one (computed), as measured otherwise.
 * - A tier on a real schedule, read every D or on a cron: computed exactly from the schedule's
 *   phase, the measured job time per event and the daily volume (staleness.ts). Without a phase
 *   (a period only), the read falls anywhere in the period: the per-event projection q·P + J,
 *   which is the same distribution.
 * - Any other tier: measured, at read instants every 100 ms of the run. A read of a real
 *   dashboard falls at no particular point of a trigger's cycle, so these instants sample it.
 */
export function stalenessAtRead(evidence: ReadsEvidence, context: ReadsContext): StalenessAtRead {
  const { reads } = context;
  if (reads.kind === 'continuous') {
    return evidence.projected ? of(evidence.projected, evidence.projected.count, 'computed') : of(evidence.measured, evidence.measured.count, 'measured');
  }
  if (evidence.projected) {
    if (!context.schedule || evidence.measured.count === 0) return of(evidence.projected, evidence.projected.count, 'computed');
    const { stats } = batchStalenessAtReads({
      reads,
      schedule: context.schedule,
      jobSecondsPerEvent: jobSecondsPerEvent(evidence.usage),
      eventsPerDay: context.eventsPerDay,
    });
    return of(stats, stats.reads, 'computed');
  }
  return of(evidence.measuredAtReads, evidence.measuredAtReads.reads, 'measured');
}

/** The reads context of a scenario (or of what `tierlab advise` asks instead). */
export function readsContextOf(scenario: { eventsPerDay: number; reads?: Reads; schedule: { cron?: string; tz?: string } }): ReadsContext {
  const { cron, tz } = scenario.schedule;
  return {
    reads: scenario.reads ?? { kind: 'continuous' },
    eventsPerDay: scenario.eventsPerDay,
    ...(cron ? { schedule: { cron, tz: tz ?? 'UTC' } } : {}),
  };
}

/**
 * A stored tier's staleness at read again, for other reads, another schedule or another volume:
 * from what the run kept (per-event latency, the projection made again by the caller, and the
 * staleness measured at read instants). A run stored before those instants were kept gives its
 * per-event latency instead, which for a polled read is the same distribution (see docs/measurement.md).
 */
export function restaleness(tier: TierSummary, projected: LatencyStats | undefined, context: ReadsContext): StalenessAtRead {
  return stalenessAtRead(
    {
      measured: tier.latency,
      ...(projected ? { projected } : {}),
      measuredAtReads: tier.stalenessMeasured ?? { reads: tier.latency.count, p50Micros: tier.latency.p50Micros, p99Micros: tier.latency.p99Micros, maxMicros: tier.latency.maxMicros },
      latency: { count: tier.latency.count },
      usage: tier.usage,
    },
    context,
  );
}

/** A stored run's reads as the model takes them; a run from before reads were modelled read continuously. */
export function readsFromSummary(summary: Pick<RunSummary, 'reads'>): Reads {
  const reads = summary.reads;
  if (reads?.kind === 'every' && reads.every) return { kind: 'every', everyMs: parseDurationMs(reads.every, 'summary.json /reads/every') };
  if (reads?.kind === 'cron' && reads.cron && reads.tz) return { kind: 'cron', cron: reads.cron, tz: reads.tz };
  return { kind: 'continuous' };
}

/** How a person reads `reads`: "continuous", "every 5m", "cron 0 9 * * MON (Europe/London)". */
export function readsText(reads: { kind: string; every?: string; cron?: string; tz?: string } | undefined): string {
  if (!reads || reads.kind === 'continuous') return 'continuous (a decision per event)';
  if (reads.kind === 'every') return `every ${reads.every}`;
  return `on cron "${reads.cron}" (${reads.tz})`;
}
