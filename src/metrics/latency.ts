import type { Histogram } from 'hdr-histogram-js';
import type { LatencyProjection, VisibilityBatch } from '../tiers/types.ts';
import { decodeHistogram, encodeHistogram, latencyStats, newLatencyHistogram, recordMicros, type LatencyStats } from './histogram.ts';
import { SeenSeqs } from './seen-seqs.ts';
import { StalenessGrid, type EncodedStalenessGrid } from './staleness-grid.ts';
import type { StalenessStats } from './staleness.ts';

export const stages = ['generatorLag', 'transport', 'wait', 'processing', 'publish'] as const;
export type Stage = (typeof stages)[number];

/** A TierLatency as it crosses a process boundary: its histograms, HdrHistogram-encoded. */
export interface EncodedTierLatency {
  total: string;
  warmup: string;
  projection?: LatencyProjection;
  stages: Record<Stage, string>;
  duplicates: number;
  negativeCount: number;
  /** Earliest event time and latest visible time seen: the span over which events were made visible. */
  firstEventMicros?: number;
  lastVisibleMicros?: number;
  /** Staleness at read instants (see staleness-grid.ts); absent from workers that predate it. */
  staleness?: EncodedStalenessGrid;
}

export interface LatencySummary extends LatencyStats {
  /** The p50 of each stage, in µs: where the time goes. */
  breakdown: Record<Stage, number>;
  /** Events visible before their event time (a clock step between processes): counted, kept out of the histogram. */
  negativeCount: number;
}

/**
 * End-to-end latency of one tier: visible time − scheduled event time for every event,
 * with the five stages recorded beside it. Events scheduled before `warmupEndsMicros` go to
 * a histogram of their own and stay out of the steady-state figures.
 */
export class TierLatency {
  readonly total = newLatencyHistogram();
  readonly warmup = newLatencyHistogram();
  readonly stages: Record<Stage, Histogram> = {
    generatorLag: newLatencyHistogram(),
    transport: newLatencyHistogram(),
    wait: newLatencyHistogram(),
    processing: newLatencyHistogram(),
    publish: newLatencyHistogram(),
  };
  /** The seqs made visible in this worker: bounded, with no limit on a run's length (see seen-seqs.ts). */
  readonly seen = new SeenSeqs();
  /** Staleness at read, on a grid of read instants: what a dashboard read then would have missed. */
  readonly staleness: StalenessGrid;
  duplicates = 0;
  negativeCount = 0;
  firstEventMicros: number | undefined;
  lastVisibleMicros: number | undefined;
  readonly #warmupEndsMicros: number;
  #projection: LatencyProjection | undefined;

  /**
   * projection: declared by the tier (batch's schedule); the harness never builds one itself.
   * measuredUntilMicros: the stream's end; staleness is read only while it runs (after it, nothing new arrives).
   */
  constructor(warmupEndsMicros: number, projection?: LatencyProjection, measuredUntilMicros?: number) {
    this.#warmupEndsMicros = warmupEndsMicros;
    this.#projection = projection;
    this.staleness = new StalenessGrid(warmupEndsMicros, measuredUntilMicros);
  }

  /**
   * The schedule a tier declared (batch: compressed in the lab, standing for a real one), carried
   * across workers: it marks the tier whose latency under its real schedule is projected. That figure
   * is computed, not recorded here: see schedule-latency.ts.
   */
  get projection(): LatencyProjection | undefined {
    return this.#projection;
  }

  record(batch: VisibilityBatch): void {
    const processing = batch.writeStartMicros - batch.processingStartMicros;
    const publish = batch.visibleMicros - batch.writeStartMicros;
    let oldestEventMicros = Infinity;
    for (const event of batch.events) {
      // An event is visible once: a replay after a restart must not count it twice.
      if (!this.seen.add(event.seq)) {
        this.duplicates++;
        continue;
      }
      if (event.eventTimeMicros < oldestEventMicros) oldestEventMicros = event.eventTimeMicros;
      if (this.firstEventMicros === undefined || event.eventTimeMicros < this.firstEventMicros) this.firstEventMicros = event.eventTimeMicros;
      if (this.lastVisibleMicros === undefined || batch.visibleMicros > this.lastVisibleMicros) this.lastVisibleMicros = batch.visibleMicros;
      const latency = batch.visibleMicros - event.eventTimeMicros;
      if (latency < 0) {
        // Clamping it to zero would hide a clock step; it is counted and reported instead.
        this.negativeCount++;
        continue;
      }
      if (event.eventTimeMicros < this.#warmupEndsMicros) {
        recordMicros(this.warmup, latency);
        continue;
      }
      recordMicros(this.total, latency);
      recordMicros(this.stages.generatorLag, event.sentMicros - event.eventTimeMicros);
      recordMicros(this.stages.transport, event.readMicros - event.sentMicros);
      recordMicros(this.stages.wait, batch.processingStartMicros - event.readMicros);
      recordMicros(this.stages.processing, processing);
      recordMicros(this.stages.publish, publish);
    }
    if (oldestEventMicros !== Infinity) this.staleness.record(oldestEventMicros, batch.visibleMicros);
  }

  /** Staleness at the read instants after warm-up and before the stream's end (see staleness-grid.ts). */
  stalenessSummary(): StalenessStats {
    return this.staleness.stats();
  }

  summary(): LatencySummary {
    const breakdown = Object.fromEntries(stages.map((stage) => [stage, latencyStats(this.stages[stage]).p50Micros])) as Record<
      Stage,
      number
    >;
    return { ...latencyStats(this.total), breakdown, negativeCount: this.negativeCount };
  }

  encode(): EncodedTierLatency {
    return {
      total: encodeHistogram(this.total),
      warmup: encodeHistogram(this.warmup),
      ...(this.#projection ? { projection: this.#projection } : {}),
      stages: Object.fromEntries(stages.map((stage) => [stage, encodeHistogram(this.stages[stage])])) as Record<Stage, string>,
      duplicates: this.duplicates,
      negativeCount: this.negativeCount,
      ...(this.firstEventMicros !== undefined ? { firstEventMicros: this.firstEventMicros } : {}),
      ...(this.lastVisibleMicros !== undefined ? { lastVisibleMicros: this.lastVisibleMicros } : {}),
      staleness: this.staleness.encode(),
    };
  }

  /**
   * Adds another worker's histograms to these: one tier's figures over all its workers. The seqs
   * seen stay with each worker: a worker that replaced a dead one skips, and does not report, the
   * events the windows it restored already held, so there is nothing to match across workers.
   */
  merge(encoded: EncodedTierLatency): void {
    this.total.add(decodeHistogram(encoded.total));
    this.warmup.add(decodeHistogram(encoded.warmup));
    if (encoded.projection) this.#projection ??= encoded.projection;
    for (const stage of stages) this.stages[stage].add(decodeHistogram(encoded.stages[stage]));
    this.duplicates += encoded.duplicates;
    this.negativeCount += encoded.negativeCount;
    if (encoded.firstEventMicros !== undefined) this.firstEventMicros = Math.min(this.firstEventMicros ?? Infinity, encoded.firstEventMicros);
    if (encoded.lastVisibleMicros !== undefined) this.lastVisibleMicros = Math.max(this.lastVisibleMicros ?? -Infinity, encoded.lastVisibleMicros);
    if (encoded.staleness) this.staleness.merge(encoded.staleness);
  }

  warmupSummary(): LatencyStats {
    return latencyStats(this.warmup);
  }
}
