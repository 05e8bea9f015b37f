/**
 * Whether a process's memory stays flat over a soak: the least-squares line through its RSS
 * samples, and its growth from the line's start to its end. The line, not the first and last
 * samples, decides, so a garbage collection's saw-tooth at either end does not.
 */

/** One RSS sample: seconds since the soak's stream started, and bytes resident. */
export interface RssSample {
  atSec: number;
  rssBytes: number;
}

/** Growth of the fitted line over the soak up to which a process counts as flat: 10%. */
export const flatWithin = 0.1;

export type RssVerdict = 'flat' | 'growing' | 'unknown';

export interface RssTrend {
  samples: number;
  /** The first and last samples as measured, bytes. */
  startRssBytes: number;
  endRssBytes: number;
  peakRssBytes: number;
  /** Slope of the least-squares line, bytes a minute. */
  slopeBytesPerMin: number;
  /** The line's rise from the first sample's time to the last's, over its value at the first: 0.05 is 5%. */
  growth: number;
  /** flat: growth <= flatWithin (shrinking is flat too); unknown: fewer than three samples or no time between them. */
  verdict: RssVerdict;
}

/** The trend of samples taken in time order. */
export function rssTrend(samples: readonly RssSample[], within = flatWithin): RssTrend {
  const first = samples[0];
  const last = samples.at(-1);
  const peakRssBytes = samples.reduce((peak, s) => Math.max(peak, s.rssBytes), 0);
  const measured = { samples: samples.length, startRssBytes: first?.rssBytes ?? 0, endRssBytes: last?.rssBytes ?? 0, peakRssBytes };
  if (!first || !last || samples.length < 3 || last.atSec <= first.atSec) return { ...measured, slopeBytesPerMin: 0, growth: 0, verdict: 'unknown' };
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.atSec, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.rssBytes, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.atSec - meanT) * (s.rssBytes - meanY);
    variance += (s.atSec - meanT) ** 2;
  }
  const slopePerSec = covariance / variance;
  const fittedStart = meanY + slopePerSec * (first.atSec - meanT);
  const growth = fittedStart > 0 ? (slopePerSec * (last.atSec - first.atSec)) / fittedStart : 0;
  return { ...measured, slopeBytesPerMin: slopePerSec * 60, growth, verdict: growth <= within ? 'flat' : 'growing' };
}
