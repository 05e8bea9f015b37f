import { fetchLimits, pendingHighWater } from '../../src/kafka/driver/platformatic.ts';
import type { KafkaClientName } from '../../src/kafka/driver/index.ts';
import { resolveTierOptions, type TierOptions } from '../../src/tiers/registry.ts';
import type { TierName } from '../../src/tiers/types.ts';

/**
 * What a tier may hold in memory by design, in records, whatever its backlog: the cap that
 * src/metrics/backpressure.ts judges a run against.
 *
 * - Both Kafka tiers, through their client: records fetched and not yet handed over, plus the
 *   batches being handled. @platformatic/kafka (our driver): pausing at pendingHighWater records,
 *   with at most one fetch (fetchLimits.maxBytes) landing after the pause; the batches being
 *   handled are at most as many again. kafkajs: one fetch of its default 10 MiB, handled in place.
 * - Micro-batch, besides: the events of one trigger, folded into windows but held until the
 *   trigger makes them visible: a trigger's worth at the rate the tier takes them.
 */
export function capRecords(tier: TierName, client: KafkaClientName, tierOptions: TierOptions, eventBytes: number, takenPerSec: number): number {
  const fetched = client === 'platformatic' ? 2 * (pendingHighWater + fetchLimits.maxBytes / eventBytes) : (2 * 10 * 2 ** 20) / eventBytes;
  const trigger = tier === 'microbatch' ? (takenPerSec * resolveTierOptions(tierOptions).microbatch.triggerMs) / 1000 : 0;
  return Math.ceil(fetched + trigger);
}

/**
 * Bytes one held record costs the worker, all told: the client's record and its buffers, the
 * decoded event, its visibility record, and the collector's slack around them. Measured, not
 * derived: the streaming worker grew ~870 MiB holding ~300,000 fetched records (~2.9 KiB each)
 * before fetches were capped, and ~125 MiB holding its ~88,000-record cap after (~1.5 KiB); met
 * with a 300,000-record backlog at once, it grew 140 MiB (~1.6 KiB a held record, the collector's
 * timing decides the rest). 2.5 KiB sits inside that range with room for the collector, and a
 * backlog of twice the cap held in memory still breaks it.
 */
export const bytesPerHeldRecord = 2.5 * 2 ** 10;

export const overloadDefaults = {
  /** When no capacity is given or measured: about streaming's on the 2-core machine of the README. */
  capacityPerSec: 30_000,
  // A 2 s trigger: one trigger's events (part of the cap) stay small beside the backlog a short flood builds.
  tierOptions: { microbatch: { triggerMs: 2_000 } } as TierOptions,
  /** The worker's V8 old space, MiB, as a container limit would set it (see overload.ts). */
  heapLimitMb: { streaming: 256, microbatch: 512, batch: 512 } as Record<TierName, number>,
  /** Below the generator and the broker in the flood, so the tier takes what they leave (see overload.ts). */
  floodNiceness: 19,
} as const;
