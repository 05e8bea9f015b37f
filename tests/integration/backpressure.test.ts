import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { overloadDefaults } from '../../bench/backpressure/allowance.ts';
import { describeBackpressure, measureBackpressure } from '../../bench/backpressure/measure.ts';
import { forkGenerator } from '../../src/harness/generator/process.ts';
import type { StreamGenerator } from '../../src/harness/generator/types.ts';
import { defaultKafkaClient } from '../../src/kafka/driver/index.ts';
import { silentLogger } from '../../src/log.ts';

const { kafka, s3 } = inject('services');

/*
 * Issue 11, item 5: a tier offered twice its capacity keeps its memory bounded. A memory bound
 * that holds by design (the client's capped fetch buffers) is a correctness property, so it is
 * tested here; how fast the tier is stays in the benchmarks (`npm run bench:backpressure` prints
 * the same run with longer phases). The worker runs under a V8 heap limit, as in a container:
 * a tier that kept its backlog would not just break the RSS bound but die of it (before the
 * fetch cap in src/kafka/driver/platformatic.ts, the streaming worker did, at 256 MiB).
 *
 * Offering twice a capacity measured elsewhere proved nothing on a quiet machine: the tier kept
 * up with the generator's best. So the worker is stopped (SIGSTOP) while the flood is sent and let
 * go after: the backlog stands in Kafka whatever the machine's speed, and the tier meets all of
 * it at once, as after an outage: offered far more than it can take. The test first checks the
 * backlog reached twice what the tier may hold, then judges memory while it works through it.
 */
let generator: StreamGenerator;
beforeAll(async () => {
  generator = await forkGenerator(kafka);
});
afterAll(() => generator?.close());

// Flood seconds of schedule at 2x capacity: short of the group's 10 s session, so the stopped worker keeps its partitions.
describe.each([
  ['streaming', 5],
  ['microbatch', 5],
] as const)('%s met with a backlog far beyond what it may hold (real Kafka)', (tier, floodSec) => {
  it('keeps its RSS within what it holds by design while the backlog stands in Kafka', async () => {
    const result = await measureBackpressure({
      runId: `it-bp-${randomUUID().slice(0, 8)}`,
      services: { kafka, s3 },
      tier,
      kafkaClient: defaultKafkaClient,
      dataset: 'payments',
      seed: 42,
      partitions: 6,
      capacityPerSec: overloadDefaults.capacityPerSec,
      calmSec: 5,
      floodSec,
      pauseWorkerInFlood: true,
      // Long enough to fetch through the backlog's first hundreds of thousands of records.
      afterSec: 6,
      generator,
      logger: silentLogger,
    });
    const lines = describeBackpressure(result);
    console.log(`[backpressure ${tier}] ${lines.join('; ')}`);
    const { verdict } = result;
    // Overloaded for real: the backlog outgrew what the tier may hold twice over.
    expect(verdict.judged, lines.join('\n')).toBe(true);
    expect(verdict.backlogPeak).toBeGreaterThanOrEqual(2 * result.capRecords);
    // And its memory did not follow the backlog.
    expect(verdict.growthBytes, lines.join('\n')).toBeLessThanOrEqual(verdict.allowanceBytes);
    expect(verdict.bounded).toBe(true);
  });
});
