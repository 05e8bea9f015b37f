import { judgeMemoryBound, perSecond, type MemoryBoundVerdict } from '../../src/metrics/backpressure.ts';
import type { TierName } from '../../src/tiers/types.ts';
import { bytesPerHeldRecord, capRecords, overloadDefaults } from './allowance.ts';
import { runOverload, type OverloadOptions, type OverloadRun } from './overload.ts';

export interface BackpressureResult {
  tier: TierName;
  run: OverloadRun;
  /** What the flood's schedule offered, events/s (open loop: 2 x capacity). */
  offeredPerSec: number;
  /** The worker was stopped while the flood was sent, and met the whole backlog at once after. */
  paused: boolean;
  /** What the generator managed to send in the flood, events/s, on a machine it shares with the tier. */
  sentPerSec: number;
  /** What the tier made visible from the flood's start to the end, events/s. */
  takenPerSec: number;
  capRecords: number;
  verdict: MemoryBoundVerdict;
}

/** A tier offered twice its capacity (`capacityPerSec`) after a calm half of it, judged by src/metrics/backpressure.ts. */
export async function measureBackpressure(
  options: Omit<OverloadOptions, 'calm' | 'flood' | 'tierOptions' | 'heapLimitMb' | 'floodNiceness'> & {
    capacityPerSec: number;
    calmSec: number;
    floodSec: number;
  },
): Promise<BackpressureResult> {
  const tierOptions = overloadDefaults.tierOptions;
  const offeredPerSec = 2 * options.capacityPerSec;
  const run = await runOverload({
    ...options,
    tierOptions,
    calm: { ratePerSec: Math.round(options.capacityPerSec / 2), sec: options.calmSec },
    flood: { ratePerSec: offeredPerSec, sec: options.floodSec },
    heapLimitMb: overloadDefaults.heapLimitMb[options.tier],
    floodNiceness: overloadDefaults.floodNiceness,
  });
  const takenPerSec = perSecond(run.taken.records, run.taken.micros);
  const cap = capRecords(options.tier, options.kafkaClient, tierOptions, run.eventBytes, takenPerSec);
  return {
    tier: options.tier,
    run,
    offeredPerSec,
    paused: options.pauseWorkerInFlood === true,
    sentPerSec: perSecond(run.produced.flood.records, run.produced.flood.micros),
    takenPerSec,
    capRecords: cap,
    verdict: judgeMemoryBound(run.samples, { capRecords: cap, bytesPerHeldRecord, eventBytes: run.eventBytes }),
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (perSec: number) => `${Math.round(perSec).toLocaleString('en-US')}/s`;

/** The result in a few lines, for the bench's output and the test's log. */
export function describeBackpressure(result: BackpressureResult): string[] {
  const { verdict: v } = result;
  return [
    result.paused
      ? `the worker stopped while ${result.run.produced.flood.records.toLocaleString('en-US')} records were sent (${rate(result.sentPerSec)}), then met them all at once; it took ${rate(result.takenPerSec)}`
      : `offered ${rate(result.offeredPerSec)} (2x capacity), sent ${rate(result.sentPerSec)}, the tier took ${rate(result.takenPerSec)}`,
    `RSS: calm peak ${mib(v.calmPeakRssBytes)}, overload peak ${mib(v.overloadPeakRssBytes)} (+${mib(v.growthBytes)}; allowed ${mib(v.allowanceBytes)} = ${result.capRecords.toLocaleString('en-US')} records held by design x ${bytesPerHeldRecord} B)`,
    `backlog peak ${v.backlogPeak.toLocaleString('en-US')} records (${mib(v.backlogWireBytes)} on the wire; ${mib(v.backlogHeldBytes)} if held in memory)`,
    `verdict: ${!v.judged ? 'not judged: the backlog stayed under twice the cap' : v.bounded ? 'bounded' : 'GREW past its allowance'}`,
  ];
}
