import { setPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadDataset, systemClock, type Clock } from '../../src/events/index.ts';
import type { StreamGenerator } from '../../src/harness/generator/types.ts';
import { restartableRunner } from '../../src/harness/faults/restartable.ts';
import { launchTiers, topicsFor } from '../../src/harness/launch.ts';
import type { TierRunner } from '../../src/harness/tier-runner.ts';
import { workerTierRunner } from '../../src/harness/worker-runner.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import type { KafkaClientName } from '../../src/kafka/driver/index.ts';
import type { Logger } from '../../src/log.ts';
import type { OverloadPhase, OverloadSample } from '../../src/metrics/backpressure.ts';
import { sampleProcess } from '../../src/metrics/resources.ts';
import type { KafkaEndpoint, S3Endpoint } from '../../src/services/types.ts';
import { resolveTierOptions, type TierOptions } from '../../src/tiers/registry.ts';
import { TierlabError } from '../../src/errors.ts';
import type { TierName } from '../../src/tiers/types.ts';

/** One phase of the offered load: a constant rate, open loop, for a while. */
export interface LoadPhase {
  ratePerSec: number;
  sec: number;
}

export interface OverloadOptions {
  runId: string;
  services: { kafka: KafkaEndpoint; s3: S3Endpoint };
  tier: TierName;
  kafkaClient: KafkaClientName;
  dataset: string;
  seed: number;
  partitions: number;
  tierOptions?: TierOptions;
  /** Well under capacity: what the tier's memory is when it keeps up (JIT warm, its windows made). */
  calm: LoadPhase;
  /** Over capacity: the backlog builds. */
  flood: LoadPhase;
  /** Seconds watched after the flood, while the tier works through the backlog it left. */
  afterSec: number;
  generator: StreamGenerator;
  logger: Logger;
  clock?: Clock;
  /**
   * nice of the tier worker during the flood: on a machine whose cores the generator and the
   * broker share with the tier, a generator at twice the tier's capacity takes the CPU the tier
   * needs; below them, the tier takes what is left, as a worker on a busy node would.
   */
  floodNiceness?: number;
  /**
   * The worker's V8 old-space limit, MiB (--max-old-space-size), as a container's memory limit
   * would set it. Without one, V8 on a machine with plenty of memory defers full collections and
   * RSS climbs with the garbage of every event handled, whatever the backlog; with one, RSS
   * follows what the worker keeps alive, and a worker that kept its backlog would die of it.
   */
  heapLimitMb?: number;
  /**
   * Stop the worker (SIGSTOP) while the flood is sent and let it go (SIGCONT) after: the backlog
   * then builds whatever the machine's speed, and the tier meets all of it at once, as after an
   * outage. Keep the flood shorter than the group's session timeout (10 s), or the group moves on.
   */
  pauseWorkerInFlood?: boolean;
  /** How often the worker's RSS and the backlog are read. Default 200 ms. */
  sampleMs?: number;
  onSample?: (sample: OverloadSample) => void;
}

export interface OverloadRun {
  samples: OverloadSample[];
  /** Key + value bytes per event on the wire, from the generator. */
  eventBytes: number;
  /** Records the generator sent in each phase, and over how long (µs), as it really managed. */
  produced: Record<'calm' | 'flood', { records: number; micros: number }>;
  /** Events the tier made visible in the flood and after it, and over how long (µs). */
  taken: { records: number; micros: number };
}

/**
 * One tier in a worker process of its own (as in a run), fed a calm stream and then a flood,
 * with its worker's RSS and its backlog (records sent, not yet visible or dead-lettered) read
 * every sampleMs. The worker is stopped at the end without waiting for it to drain: what is
 * measured is memory while the backlog stands, not how long it takes to clear.
 */
export async function runOverload(options: OverloadOptions): Promise<OverloadRun> {
  const clock = options.clock ?? systemClock;
  const profile = await loadDataset(options.dataset);
  const admin = createKafkaClient(options.services.kafka, { clientId: `tierlab-overload-${options.runId}` }).admin();
  await admin.connect();
  let runner: TierRunner | undefined;
  try {
    // The worker inherits the environment at fork, inside launchTiers: its heap limit goes there.
    const nodeOptions = process.env.NODE_OPTIONS;
    if (options.heapLimitMb) process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --max-old-space-size=${options.heapLimitMb}`.trim();
    const launched = await launchTiers(
      {
        runId: options.runId,
        kafka: options.services.kafka,
        kafkaClient: options.kafkaClient,
        s3: options.services.s3,
        profile,
        windowMs: profile.windowMs,
        partitions: options.partitions,
        tiers: [options.tier],
        tierOptions: resolveTierOptions(options.tierOptions),
        logger: options.logger,
        launch: (spec) => restartableRunner(() => workerTierRunner(spec)),
      },
      admin,
    ).finally(() => {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    });
    runner = launched.runners[0]!;
    const startError = launched.startErrors.get(options.tier);
    if (startError) throw new TierlabError('TIER_FAILED', `${options.tier} did not start: ${startError}`);
    const startMicros = clock.nowMicros();
    // Every event is measured from the start: the latency is not the point here, only that it is recorded as in a run.
    await runner.measure({ warmupEndsMicros: startMicros, generatorEndsMicros: startMicros + 3_600_000_000 });

    const samples: OverloadSample[] = [];
    let phase: OverloadPhase = 'calm';
    let producedBefore = 0;
    let producedNow = 0;
    const worker = runner;
    const read = async () => {
      const usage = await sampleProcess(worker.pid);
      const health = worker.health();
      if (health.state === 'errored') throw new TierlabError('TIER_FAILED', `${options.tier} failed under load: ${health.error}`);
      const sample: OverloadSample = {
        atMicros: clock.nowMicros(),
        phase,
        rssBytes: usage?.rssBytes ?? 0,
        backlog: Math.max(0, producedBefore + producedNow - health.visible - health.counts.rejected),
        visible: health.visible,
      };
      samples.push(sample);
      options.onSample?.(sample);
    };
    let sampling = true;
    let failure: unknown;
    const sampler = (async () => {
      while (sampling) {
        await read().catch((error: unknown) => {
          failure = error;
          sampling = false;
        });
        await sleep(options.sampleMs ?? 200);
      }
    })();

    const topic = topicsFor(options.runId, options.tier).events;
    const send = async (load: LoadPhase, seed: number) => {
      producedNow = 0;
      const plan = {
        profile,
        seed,
        rate: { kind: 'constant' as const, ratePerSec: load.ratePerSec },
        startMicros: clock.nowMicros() + 100_000,
        durationMs: load.sec * 1000,
        windowMs: profile.windowMs,
        topic,
        partitions: options.partitions,
      };
      const stream = await options.generator.generate(plan, (progress) => (producedNow = progress.produced));
      producedNow = 0;
      producedBefore += stream.report.produced;
      return { stream, micros: stream.report.finishedMicros - stream.report.startedMicros };
    };

    const calm = await send(options.calm, options.seed);
    phase = 'flood';
    if (options.floodNiceness) setPriority(worker.pid, options.floodNiceness);
    const floodVisibleBefore = worker.health().visible;
    const floodStartMicros = clock.nowMicros();
    if (options.pauseWorkerInFlood) process.kill(worker.pid, 'SIGSTOP');
    // A second stream of the same dataset, from another seed: new events, the same keys.
    const flood = await send(options.flood, options.seed + 1).finally(() => {
      if (options.pauseWorkerInFlood) process.kill(worker.pid, 'SIGCONT');
    });
    phase = 'after';
    await sleep(options.afterSec * 1000);
    sampling = false;
    await sampler;
    if (failure) throw failure;
    const taken = { records: worker.health().visible - floodVisibleBefore, micros: clock.nowMicros() - floodStartMicros };
    const sent = calm.stream.bytesSent + flood.stream.bytesSent;
    const records = calm.stream.report.produced + flood.stream.report.produced;
    return {
      samples,
      eventBytes: records > 0 ? sent / records : 0,
      produced: {
        calm: { records: calm.stream.report.produced, micros: calm.micros },
        flood: { records: flood.stream.report.produced, micros: flood.micros },
      },
      taken,
    };
  } finally {
    // SIGKILL: a graceful stop would first work through the backlog (micro-batch's last trigger) for nothing.
    await runner?.kill?.().catch(() => undefined);
    await admin.disconnect();
  }
}
