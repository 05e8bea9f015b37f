import type { Histogram } from 'hdr-histogram-js';
import type { VisibilityBatch } from '../tiers/types.ts';
import { decodeHistogram, encodeHistogram, latencyStats, newLatencyHistogram, recordMicros, type LatencyStats } from './histogram.ts';

export const stages = ['generatorLag', 'transport', 'wait', 'processing', 'publish'] as const;
export type Stage = (typeof stages)[number];

/** A TierLatency as it crosses a process boundary: its histograms, HdrHistogram-encoded. */
export interface EncodedTierLatency {
  total: string;
  warmup: string;
  projected?: string;
  stages: Record<Stage, string>;
  duplicates: number;
}

export interface LatencySummary extends LatencyStats {
  /** The p50 of each stage, in µs: where the time goes. */
  breakdown: Record<Stage, number>;
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
  /**
   * Batch only: latency under the real schedule. In the lab the wait for the next run (from
   * landing in the lake to the job's start) is spread over the compressed period; under the real
   * one it spreads over the real period, so that wait is scaled by realPeriod / compressedPeriod,
   * and everything else (landing, the job's own time, the publish) is kept as measured.
   */
  readonly projected: Histogram | undefined;
  readonly seen = new Set<number>();
  duplicates = 0;
  readonly #warmupEndsMicros: number;
  readonly #waitScale: number | undefined;

  constructor(warmupEndsMicros: number, projection?: { compressedPeriodMs: number; realPeriodMs: number }) {
    this.#warmupEndsMicros = warmupEndsMicros;
    this.#waitScale = projection ? projection.realPeriodMs / projection.compressedPeriodMs : undefined;
    this.projected = projection ? newLatencyHistogram() : undefined;
  }

  record(batch: VisibilityBatch): void {
    const processing = batch.writeStartMicros - batch.processingStartMicros;
    const publish = batch.visibleMicros - batch.writeStartMicros;
    for (const event of batch.events) {
      // An event is visible once: a replay after a restart must not count it twice.
      if (this.seen.has(event.seq)) {
        this.duplicates++;
        continue;
      }
      this.seen.add(event.seq);
      const latency = batch.visibleMicros - event.eventTimeMicros;
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
      if (this.projected && this.#waitScale !== undefined) {
        const scheduleWait = batch.processingStartMicros - (event.landedMicros ?? event.readMicros);
        recordMicros(this.projected, latency - scheduleWait + scheduleWait * this.#waitScale);
      }
    }
  }

  summary(): LatencySummary {
    const breakdown = Object.fromEntries(stages.map((stage) => [stage, latencyStats(this.stages[stage]).p50Micros])) as Record<
      Stage,
      number
    >;
    return { ...latencyStats(this.total), breakdown };
  }

  projectedSummary(): LatencyStats | undefined {
    return this.projected ? latencyStats(this.projected) : undefined;
  }

  encode(): EncodedTierLatency {
    return {
      total: encodeHistogram(this.total),
      warmup: encodeHistogram(this.warmup),
      ...(this.projected ? { projected: encodeHistogram(this.projected) } : {}),
      stages: Object.fromEntries(stages.map((stage) => [stage, encodeHistogram(this.stages[stage])])) as Record<Stage, string>,
      duplicates: this.duplicates,
    };
  }

  /** Adds another worker's histograms to these: one tier's figures over all its workers. */
  merge(encoded: EncodedTierLatency): void {
    this.total.add(decodeHistogram(encoded.total));
    this.warmup.add(decodeHistogram(encoded.warmup));
    if (this.projected && encoded.projected) this.projected.add(decodeHistogram(encoded.projected));
    for (const stage of stages) this.stages[stage].add(decodeHistogram(encoded.stages[stage]));
    this.duplicates += encoded.duplicates;
  }

  warmupSummary(): LatencyStats {
    return latencyStats(this.warmup);
  }
}
