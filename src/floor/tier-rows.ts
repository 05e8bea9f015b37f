import type { Histogram } from 'hdr-histogram-js';
import { ensureTopic } from '../kafka/topics.ts';
import { createKafkaClient } from '../kafka/client.ts';
import { createKafkaDriver, type KafkaClientName } from '../kafka/driver/index.ts';
import type { Clock, DatasetProfile } from '../events/index.ts';
import { eventClient } from '../events/sinks/kafka.ts';
import type { StreamGenerator } from '../harness/generator/types.ts';
import { runTierAlone } from '../harness/tier-alone.ts';
import type { Logger } from '../log.ts';
import { latencyStats, type LatencyStats } from '../metrics/histogram.ts';
import { ResourceSampler, type ProcessUsageTotals } from '../metrics/resources.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Services } from '../services/types.ts';
import { holdPeriodMs, layerTierOptions, resolveTierOptions, type TierOptions } from '../tiers/registry.ts';
import type { TierName } from '../tiers/types.ts';
import { startRoundTrip } from './roundtrip.ts';
import { floorWarmupTriggers, type FloorRow } from '../results/floor.ts';
import type { FloorRowName } from './types.ts';

export interface OpenLoopRowContext {
  runId: string;
  scenario: Scenario;
  profile: DatasetProfile;
  services: Services;
  generator: StreamGenerator;
  ratePerSec: number;
  durationSec: number;
  warmupSec: number;
  clock: Clock;
  logger: Logger;
}

const perEvent = (usage: ProcessUsageTotals | undefined, events: number) =>
  usage && events > 0 ? (usage.cpuSeconds * 1e6) / events : undefined;

function samplerFor(context: OpenLoopRowContext): ResourceSampler {
  const sampler = new ResourceSampler();
  if (context.services.kafka.description.pid) sampler.watch('kafka-broker', context.services.kafka.description.pid);
  return sampler;
}

function row(name: FloorRowName, what: string, stats: LatencyStats, cpu: { client?: number; broker?: number }): FloorRow {
  return {
    name,
    what,
    loop: 'open',
    resolution: 'µs',
    count: stats.count,
    p50Micros: stats.p50Micros,
    p99Micros: stats.p99Micros,
    p999Micros: stats.p999Micros,
    maxMicros: stats.maxMicros,
    ...(cpu.client !== undefined ? { cpuMicrosPerEvent: cpu.client } : {}),
    ...(cpu.broker !== undefined ? { brokerCpuMicrosPerEvent: cpu.broker } : {}),
  };
}

/** (c) a client's own floor: the generator's stream read by a consumer that does nothing else. */
export async function roundTripRow(context: OpenLoopRowContext, client: KafkaClientName): Promise<FloorRow> {
  const { endpoint } = context.services.kafka;
  const topic = `tierlab.${context.runId}.roundtrip-${client}`;
  const admin = createKafkaClient(endpoint, { clientId: 'tierlab-floor' }).admin();
  await admin.connect();
  await ensureTopic(admin, topic, context.scenario.partitions).finally(() => admin.disconnect());
  let warmupEndsMicros = Number.POSITIVE_INFINITY;
  const driver = createKafkaDriver(client, endpoint, { clientId: `tierlab-floor-${client}` });
  const roundTrip = await startRoundTrip(driver, topic, context.clock, () => warmupEndsMicros);
  const sampler = samplerFor(context);
  sampler.watch('client', process.pid, { withChildren: false });
  sampler.start();
  const startMicros = context.clock.nowMicros() + 500_000;
  warmupEndsMicros = startMicros + context.warmupSec * 1e6;
  const stream = await context.generator.generate({
    profile: context.profile,
    seed: context.scenario.seed,
    rate: { kind: 'constant', ratePerSec: context.ratePerSec },
    startMicros,
    durationMs: context.durationSec * 1000,
    windowMs: context.scenario.windowMs ?? context.profile.windowMs,
    topic,
    partitions: context.scenario.partitions,
  });
  const { stats, read } = await roundTrip.finish(stream.report.produced, 10_000);
  const usage = await sampler.stop();
  return row(`roundtrip-${client}`, `produce (generator, ${eventClient}, acks=all) -> consume with ${client}, nothing else`, stats, {
    client: perEvent(usage.get('client'), read),
    broker: perEvent(usage.get('kafka-broker'), read),
  });
}

/** (d), (e): a tier alone at the offered rate, in its own worker, with its CPU and the broker's per event. */
export async function tierRow(
  context: OpenLoopRowContext,
  { tier, client, overrides, inProcess }: { tier: TierName; client: KafkaClientName; overrides?: TierOptions; inProcess?: boolean },
  name: FloorRowName,
  what: string,
): Promise<FloorRow> {
  // The row's settings over the scenario's (another guarantee, another engine), checked as a scenario's are.
  const scenario = overrides ? { ...context.scenario, ...resolveTierOptions(layerTierOptions(context.scenario, overrides)) } : context.scenario;
  const holdMs = holdPeriodMs(tier, scenario);
  const warmupSec = rowWarmupSec(context.warmupSec, holdMs);
  const sampler = samplerFor(context);
  sampler.start();
  const result = await runTierAlone({
    // One run id per row: two rows of one tier and client (the two guarantees) must not share topics or a consumer group.
    runId: `${context.runId}-${name}`,
    kafkaClient: client,
    scenario,
    profile: context.profile,
    services: context.services,
    tier,
    ratePerSec: context.ratePerSec,
    // A longer warm-up is added before the measured span, which stays as long as every other row's.
    durationSec: context.durationSec + (warmupSec - context.warmupSec),
    warmupSec,
    generator: context.generator,
    clock: context.clock,
    logger: context.logger,
    sampler,
    ...(inProcess ? { inProcess } : {}),
  });
  const usage = await sampler.stop();
  const outcome = result.tiers[0]!;
  const measured = row(name, what, latencyStats(outcome.latency.total), {
    client: perEvent(usage.get(`tier:${tier}`), outcome.visible),
    broker: perEvent(usage.get('kafka-broker'), outcome.visible),
  });
  const overhead = overheadP99Micros(outcome.latency.stages.processing, outcome.latency.stages.publish);
  return {
    ...measured,
    ...(outcome.state === 'errored' || !outcome.correct ? { error: outcome.error ?? 'the committed result differs from the ground truth' } : {}),
    // Only a tier that holds events for a trigger has an overhead beyond it worth naming.
    ...(holdMs > 0 ? { overheadP99Micros: overhead, triggers: Math.ceil(((context.durationSec - context.warmupSec) * 1000) / holdMs) } : {}),
    ...(warmupSec !== context.warmupSec ? { warmupSec } : {}),
  };
}

/**
 * The warm-up of a row: the floor's, or for a tier that holds events for a trigger, at least
 * `floorWarmupTriggers` of its triggers. A trigger's overhead is a p99 over a few dozen triggers at
 * most, so one trigger whose write path the runtime has not yet compiled (measured: the first two
 * triggers' writes 28–38 ms, the later ones 5–12 ms, at 10,000 events/s with a 5 s trigger)
 * would be the row's p99: a cold start, not what the tier adds once it runs.
 */
export function rowWarmupSec(floorWarmupSec: number, holdPeriodMs: number): number {
  return Math.max(floorWarmupSec, (floorWarmupTriggers * holdPeriodMs) / 1000);
}

/** What a trigger adds beyond the wait: the p99s of processing and publish added, an upper bound of their sum's p99. */
export function overheadP99Micros(processing: Histogram, publish: Histogram): number {
  return latencyStats(processing).p99Micros + latencyStats(publish).p99Micros;
}
