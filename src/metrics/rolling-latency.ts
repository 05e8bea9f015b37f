import { build, type Histogram } from 'hdr-histogram-js';

/**
 * Latency over the last few seconds, for the live demo's rolling p50/p99: one small histogram per
 * second, merged when asked. Two significant digits (1%) up to an hour: a live view that costs the
 * measured tier almost nothing; the report's figures come from the run's full HDR histograms.
 */
/** The live view's window, s: short enough to show a change within the demo's attention span. */
export const rollingLatencySec = 10;

export class RollingLatency {
  readonly #seconds: number;
  readonly #buckets = new Map<number, Histogram>();

  constructor(seconds = rollingLatencySec) {
    this.#seconds = seconds;
  }

  record(micros: number, atMicros: number): void {
    const second = Math.floor(atMicros / 1e6);
    let histogram = this.#buckets.get(second);
    if (!histogram) {
      histogram = small();
      this.#buckets.set(second, histogram);
      for (const old of this.#buckets.keys()) if (old <= second - this.#seconds) this.#buckets.delete(old);
    }
    histogram.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(micros))));
  }

  /** p50 and p99 of what became visible in the last `seconds` before `nowMicros`; undefined when nothing did. */
  percentiles(nowMicros: number): { count: number; p50Micros: number; p99Micros: number } | undefined {
    const from = Math.floor(nowMicros / 1e6) - this.#seconds;
    const merged = small();
    for (const [second, histogram] of this.#buckets) if (second > from) merged.add(histogram);
    if (merged.totalCount === 0) return undefined;
    return { count: merged.totalCount, p50Micros: merged.getValueAtPercentile(50), p99Micros: merged.getValueAtPercentile(99) };
  }
}

function small(): Histogram {
  return build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2 });
}
