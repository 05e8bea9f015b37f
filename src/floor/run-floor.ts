import { describeError } from '../errors.ts';
import { defaultKafkaClient, kafkaClientNames, type KafkaClientName } from '../kafka/driver/types.ts';
import { EventSource, type Clock, type DatasetProfile } from '../events/index.ts';
import { recordPayload } from '../events/sinks/kafka.ts';
import { forkGenerator } from '../harness/generator/process.ts';
import { warmServices } from '../harness/warmup.ts';
import type { Logger } from '../log.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { machineEnvironment } from '../services/machine.ts';
import type { Services } from '../services/types.ts';
import { withRatios } from './ratios.ts';
import { roundTripRow, tierRow, type OpenLoopRowContext } from './tier-rows.ts';
import type { TierName } from '../tiers/types.ts';
import { floorSchemaVersion, type FloorResult, type FloorRow } from '../results/floor.ts';
import { ownFloorParts } from '../tiers/registry.ts';
import { engineRows, tierRows, type EngineRowName, type FloorRowName } from './types.ts';

export interface FloorPlan {
  runId: string;
  services: Services;
  /** Where the tiers' settings and the dataset come from. */
  scenario: Scenario;
  profile: DatasetProfile;
  ratePerSec: number;
  durationSec: number;
  /** Record size for Kafka's own tools. */
  recordBytes: number;
  warmupSec: number;
  /** The Node clients whose round trip and tiers are measured (default: every one). */
  clients?: KafkaClientName[];
  /** The other engines measured at the same rate (default: every one, engineRows). */
  engines?: Array<{ tier: TierName; engine: string; row: EngineRowName }>;
  clock: Clock;
  logger: Logger;
  onStage?: (message: string) => void;
}

/** A group of rows measured by something other than tierlab's own client: Kafka's tools. */
export type FloorPart = (plan: FloorPlan) => Promise<FloorRow[]>;

const failed = (name: FloorRowName, error: unknown): FloorRow => ({
  name,
  what: 'not measured',
  loop: 'none',
  resolution: 'µs',
  count: 0,
  p50Micros: 0,
  p99Micros: 0,
  p999Micros: 0,
  maxMicros: 0,
  error: describeError(error),
});

/**
 * Every row on one broker, one after another, each alone: Kafka's own tools, the client's bare
 * round trip, each tier at the offered rate, and the rows a tier measures itself (the batch job
 * beside DuckDB on local disk). A row that fails is recorded as failed and the rest go on.
 */
export async function runFloor(plan: FloorPlan, parts: { kafkaTools?: FloorPart } = {}): Promise<FloorResult> {
  const { services } = plan;
  const rows: FloorRow[] = [];
  const generator = await forkGenerator(services.kafka.endpoint);
  let eventBytes = 0;
  try {
    plan.onStage?.(`warming Kafka and S3 at ${plan.ratePerSec} events/s until produce latency stops improving`);
    await warmServices({ generator, s3: services.s3.endpoint, profile: plan.profile, partitions: plan.scenario.partitions, ratePerSec: plan.ratePerSec, maxSec: 40 });
    if (parts.kafkaTools) {
      plan.onStage?.("Kafka's own EndToEndLatency and ProducerPerformance");
      rows.push(...(await parts.kafkaTools(plan).catch((error: unknown) => [failed('kafka-e2e', error), failed('kafka-producer-perf', error)])));
    }
    const context: OpenLoopRowContext = { ...plan, generator };
    for (const client of plan.clients ?? kafkaClientNames) {
      plan.onStage?.(`roundtrip-${client}: the bare round trip`);
      rows.push(await roundTripRow(context, client).catch((error: unknown) => failed(`roundtrip-${client}`, error)));
      for (const { tier, row, what, overrides, inProcess } of tierRows(client)) {
        plan.onStage?.(`${row}: the ${tier} tier alone at ${plan.ratePerSec} events/s`);
        const spec = { tier, client, ...(overrides ? { overrides } : {}), ...(inProcess ? { inProcess } : {}) };
        rows.push(await tierRow(context, spec, row, what).catch((error: unknown) => failed(row, error)));
      }
    }
    // The other engines at the same rate, each with its own client (a JVM engine's is Kafka's Java client).
    for (const { tier, engine, row } of plan.engines ?? engineRows) {
      plan.onStage?.(`${row}: the ${tier} tier on ${engine} alone at ${plan.ratePerSec} events/s`);
      const what = `the ${tier} tier on the ${engine} engine, as --engine ${tier}=${engine} runs it`;
      rows.push(await tierRow(context, { tier, client: defaultKafkaClient, overrides: { [tier]: { engine } } }, row, what).catch((error: unknown) => failed(row, error)));
    }
    for (const part of ownFloorParts(plan.scenario)) {
      plan.onStage?.(part.what);
      const context = {
        s3: services.s3.endpoint,
        ...(services.s3.description.pid ? { s3ServerPid: services.s3.description.pid } : {}),
        profile: plan.profile,
        seed: plan.scenario.seed,
        // The same events the open-loop rows were fed: the offered rate, for the same time.
        ratePerSec: plan.ratePerSec,
        durationSec: plan.durationSec,
        windowMs: plan.scenario.windowMs ?? plan.profile.windowMs,
        partitions: plan.scenario.partitions,
        clock: plan.clock,
      };
      rows.push(...(await part.measure(context).catch((error: unknown) => part.rows.map((row) => failed(row, error)))));
    }
    eventBytes = meanEventBytes(plan);
  } finally {
    await generator.close();
  }
  return {
    schemaVersion: floorSchemaVersion,
    runId: plan.runId,
    startedAt: new Date().toISOString(),
    rate: plan.ratePerSec,
    durationSec: plan.durationSec,
    recordBytes: plan.recordBytes,
    eventBytes,
    environment: machineEnvironment(services),
    rows: withRatios(rows),
  };
}

/** Mean key + value bytes of the dataset's records, from a thousand generated ones. */
function meanEventBytes(plan: FloorPlan): number {
  const source = new EventSource(plan.profile, plan.scenario.seed);
  let bytes = 0;
  for (let i = 0; i < 1000; i++) {
    const record = source.next(i);
    bytes += record.key.length + recordPayload(record).length;
  }
  return bytes / 1000;
}
