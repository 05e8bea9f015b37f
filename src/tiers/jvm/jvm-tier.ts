import { createKafkaClient } from '../../kafka/client.ts';
import { groupTimeouts } from '../../kafka/driver/types.ts';
import { readResults } from '../../kafka/results.ts';
import { reasonKey } from '../intake.ts';
import { TierStatus } from '../status.ts';
import type { TierEngine } from '../engine.ts';
import type { Tier, TierContext, TierName, VisibilityBatch } from '../types.ts';
import type { JvmModule } from './build.ts';
import { startEngineProcess, type EngineProcess } from './engine-process.ts';
import { javaKafkaProperties } from './kafka-properties.ts';
import type { VisibleRow } from './protocol.ts';

/** A tier run by a JVM engine of engines/jvm: which module, and the settings it is handed. */
export interface JvmTierSpec {
  tier: TierName;
  /** The engine's name, as --engine and summary.json's tiers.NAME.engine call it. */
  engine: string;
  module: JvmModule;
  /** What the engine honours of the tier's options (EngineConfig.java); a tier may hand more (micro-batch: triggerMs, allowedLatenessMs). */
  settings: { guarantee: string; maxWaitMs: number; threads: number; [setting: string]: string | number };
  /** An existing cluster the engine submits its job to (Flink: FLINK_REST_URL), recorded as engine.cluster. */
  cluster?: { url: string; setting: string };
}

/**
 * A tier whose work is done by a JVM engine process (engine-process.ts), started and stopped by
 * this (worker) process, so its CPU and memory are measured as the tier's. The engine reads the
 * tier's topics, writes the same results and dead letters as the Node tiers, and reports each
 * result it made visible with the times it took them (protocol.ts); they are handed to the
 * harness as every tier hands them. The JVM's start-up is reported apart (engine.startupMs) and
 * ends before the harness starts measuring.
 */
export function createJvmTier(context: TierContext, spec: JvmTierSpec): Tier {
  const status = new TierStatus();
  const clientId = `tierlab-${spec.tier}-${context.runId}`;
  let engineProcess: EngineProcess | undefined;
  let stopped: Promise<void> | undefined;
  const engine = (): TierEngine => ({
    ...(engineProcess?.engine ?? { name: spec.engine, version: 'not started' }),
    ...(spec.cluster ? { cluster: spec.cluster.url } : {}),
  });

  async function start(): Promise<void> {
    status.state = 'starting';
    try {
      engineProcess = await startEngineProcess(
        {
          engine: spec.engine,
          module: spec.module,
          config: {
            tier: spec.tier,
            bootstrap: context.kafka.brokers.join(','),
            kafkaProperties: javaKafkaProperties(context.kafka),
            groupId: `tierlab-${context.runId}-${spec.tier}`,
            clientId,
            topics: context.topics,
            windowMs: context.windowMs,
            rules: context.rules,
            ...spec.settings,
            ...(spec.cluster ? { [spec.cluster.setting]: spec.cluster.url } : {}),
            group: groupTimeouts,
          },
          engineCacheDir: context.engineCacheDir,
          logger: context.logger,
        },
        {
          onProgress(line) {
            status.usage.kafkaBytesWritten = line.kafkaBytesWritten;
            status.count(line.visible.length, line.rejected.map(reasonKey));
            for (const batch of visibilityBatches(spec.tier, line.visible)) context.onVisible(batch);
            status.visible += line.visible.length;
          },
          onFailure: (error) => status.fail(error),
        },
      );
    } catch (error) {
      status.fail(error);
      throw error;
    }
    status.state = 'running';
  }

  async function stop(): Promise<void> {
    status.stopping();
    await engineProcess?.stop();
    status.stopped();
  }

  return {
    name: spec.tier,
    facts: () => ({ engine: engine(), guarantee: spec.settings.guarantee === 'exactly-once' ? 'exactly-once' : 'at-least-once' }),
    start,
    stop: () => (stopped ??= stop()),
    health: () => status.health(),
    readCommittedResult: () => readResults(createKafkaClient(context.kafka, { clientId }), context.topics.results),
  };
}

/**
 * The engine's per-event lines as the harness takes them: events that share their processing,
 * write and visible times (one write) go together, as a Node tier reports one write.
 */
export function visibilityBatches(tier: TierName, rows: VisibleRow[]): VisibilityBatch[] {
  const batches: VisibilityBatch[] = [];
  let current: VisibilityBatch | undefined;
  for (const [seq, eventTimeMicros, sentMicros, readMicros, processingStartMicros, writeStartMicros, visibleMicros] of rows) {
    if (!current || current.processingStartMicros !== processingStartMicros || current.writeStartMicros !== writeStartMicros || current.visibleMicros !== visibleMicros) {
      current = { tier, processingStartMicros, writeStartMicros, visibleMicros, events: [] };
      batches.push(current);
    }
    current.events.push({ seq, eventTimeMicros, sentMicros, readMicros });
  }
  return batches;
}
