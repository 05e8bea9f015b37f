import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/** docs/measurement.md: microsecond resolution, up to 48 h, 3 significant digits. */
export const histogramRange = { lowestMicros: 1, highestMicros: 48 * 3600 * 1_000_000, significantDigits: 3 } as const;

export function newLatencyHistogram(): Histogram {
  // 64-bit buckets: 32-bit ones would cap the trackable range near 71 minutes.
  return build({
    bitBucketSize: 64,
    lowestDiscernibleValue: histogramRange.lowestMicros,
    highestTrackableValue: histogramRange.highestMicros,
    numberOfSignificantValueDigits: histogramRange.significantDigits,
  });
}

/** Records a latency, clamped into the histogram's range (a negative one means clock skew). */
export function recordMicros(histogram: Histogram, micros: number): void {
  histogram.recordValue(Math.min(histogramRange.highestMicros, Math.max(histogramRange.lowestMicros, Math.round(micros))));
}

export interface LatencyStats {
  count: number;
  p50Micros: number;
  p90Micros: number;
  p99Micros: number;
  p999Micros: number;
  maxMicros: number;
}

export function latencyStats(histogram: Histogram): LatencyStats {
  const empty = histogram.totalCount === 0;
  const at = (percentile: number) => (empty ? 0 : histogram.getValueAtPercentile(percentile));
  return {
    count: histogram.totalCount,
    p50Micros: at(50),
    p90Micros: at(90),
    p99Micros: at(99),
    p999Micros: at(99.9),
    maxMicros: empty ? 0 : histogram.maxValue,
  };
}

/** The whole distribution, in HdrHistogram's compressed base64 form, for charts and merging. */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const histogram = newLatencyHistogram();
  histogram.add(decodeFromCompressedBase64(encoded, 64));
  return histogram;
}

/** The distribution as percentile -> µs points, dense in the tail, for charts. */
export function distributionPoints(histogram: Histogram): Array<{ percentile: number; micros: number }> {
  if (histogram.totalCount === 0) return [];
  const percentiles = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.999, 100];
  return percentiles.map((percentile) => ({ percentile, micros: histogram.getValueAtPercentile(percentile) }));
}
