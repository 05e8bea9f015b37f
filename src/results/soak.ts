import type { RssTrend, RssVerdict } from '../metrics/rss-trend.ts';
import type { MachineEnvironment } from '../services/machine.ts';
import type { TierName } from '../tiers/types.ts';

/**
 * results/<run-id>/soak.json, from `tierlab soak`: docs/outputs.md. Add fields freely, rename
 * none without bumping the version.
 */
export const soakSchemaVersion = 1;

/** Where the offered rate came from: a share of the capacity `tierlab capacity` measured, or --rate. */
export interface SoakRate {
  ratePerSec: number;
  basis: 'capacity' | 'asked';
  /** The share of the capacity offered (basis capacity), e.g. 0.8. */
  load?: number;
  /** The lowest capacity among the tiers soaked, events/s, and the capacity run it comes from, where one is known. */
  capacityPerSec?: number;
  capacityRunId?: string;
  /** In words: how the rate was chosen, and what was not known. */
  why: string;
}

/** One process's memory over the soak, after its warm-up (rss-trend.ts). */
export interface SoakProcess extends RssTrend {
  /** `harness`, `generator`, `tier:NAME` (a replaced worker `tier:NAME#n`), `kafka-broker`, `s3-server`. */
  name: string;
  pid: number;
  /** Whether the overall verdict counts it: tierlab's own processes do, the servers (JVMs sized by their own settings) are shown only. */
  judged: boolean;
  /** Every sample, warm-up included: [seconds since the stream started, RSS bytes]. */
  series: Array<[number, number]>;
}

/** What each tier did over the soak: a soak that lost events or fell behind says so beside its memory. */
export interface SoakTier {
  name: TierName;
  state: 'ok' | 'errored';
  error?: string;
  correct: boolean;
  visible: number;
  achievedPerSec: number;
  /** Windows the worker held at the end and had forgotten once closed (streaming, micro-batch). */
  heldWindows?: number;
  evictedWindows?: number;
}

export interface SoakResult {
  schemaVersion: typeof soakSchemaVersion;
  scenario: string;
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  environment: MachineEnvironment;
  rate: SoakRate;
  durationSec: number;
  /** Seconds at the stream's start left out of every trend (and of the latencies). */
  warmupSec: number;
  sampleEverySec: number;
  /** The growth up to which a process is flat, e.g. 0.1. */
  flatWithin: number;
  tiers: SoakTier[];
  processes: SoakProcess[];
  /** flat when every judged process is; growing when one is not; unknown when one had too few samples. */
  verdict: RssVerdict;
}
