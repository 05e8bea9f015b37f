import { resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { TierlabError } from '../errors.ts';
import { limits } from '../limits.ts';
import { generate, loadDataset, systemClock, type EventSink, type GenerateResult } from '../events/index.ts';
import { openEventProducer, openKafkaEventSink } from '../events/sinks/kafka.ts';
import { openFileEventSink, type FileEventSink } from '../events/sinks/file.ts';
import { writeJsonArray } from '../events/sinks/streamed-file.ts';
import { createKafkaClient } from '../kafka/client.ts';
import type { KafkaEndpoint } from '../services/types.ts';
import { parseDurationMs, parseInstantMicros, parsePositiveNumber, parseShare, parseWholeNumber } from '../parse.ts';
import type { CliIo } from './io.ts';

export interface GenerateDeps {
  io: CliIo;
  /** Provisions (or finds) Kafka the way every command does; only called for --to kafka. */
  kafka: () => Promise<{ endpoint: KafkaEndpoint; release: () => Promise<void> }>;
  isTty: boolean;
}

interface GenerateFlags {
  dataset: string;
  seed: string;
  count?: string;
  duration?: string;
  rate: string;
  to: 'kafka' | 'file';
  out?: string;
  topic?: string;
  partitions: string;
  windowMs?: string;
  malformedShare?: string;
  start?: string;
}

/** A Monday morning: file output starts here unless --start says otherwise, so files are reproducible. */
const defaultFileStart = '2026-01-05T09:00:00Z';

export function registerGenerateCommand(program: Command, deps: GenerateDeps): void {
  program
    .command('generate')
    .description('run the seeded event generator on its own, to Kafka or to files')
    .requiredOption('--dataset <name>', 'dataset profile: a name in datasets/ or a path to a .yaml file')
    .requiredOption('--seed <n>', 'seed: the same seed gives the same events, byte for byte')
    .option('--count <n>', 'number of records to generate')
    .option('--duration <d>', 'how long the schedule runs, e.g. 30s')
    .option('--rate <r>', 'events per second (open loop)', '1000')
    .addOption(new Option('--to <sink>', 'where the events go').choices(['kafka', 'file']).makeOptionMandatory())
    .option('--out <path>', 'folder for --to file', 'generated')
    .option('--topic <name>', 'topic for --to kafka (default tierlab.<dataset>.events)')
    .option('--partitions <n>', 'partitions of the topic, created if missing', '6')
    .option('--window-ms <ms>', 'tumbling window of the ground truth (default: the dataset\'s)')
    .option('--malformed-share <s>', 'share of malformed records (default: the dataset\'s)')
    .option('--start <instant>', `first scheduled time (default: now for kafka, ${defaultFileStart} for files)`)
    .action(async (flags: GenerateFlags) => {
      await runGenerate(flags, deps);
    });
}

async function runGenerate(flags: GenerateFlags, deps: GenerateDeps): Promise<void> {
  const { io } = deps;
  if ((flags.count === undefined) === (flags.duration === undefined)) {
    throw new TierlabError('BAD_INPUT', 'give exactly one of --count or --duration');
  }
  const seed = parseWholeNumber(flags.seed, '--seed');
  const count = flags.count === undefined ? undefined : parseWholeNumber(flags.count, '--count', 1, limits.count);
  const durationMs = flags.duration === undefined ? undefined : parseDurationMs(flags.duration, '--duration');
  const ratePerSec = parsePositiveNumber(flags.rate, '--rate', limits.ratePerSec);
  const partitions = parseWholeNumber(flags.partitions, '--partitions', 1, limits.partitions);
  const profile = await loadDataset(flags.dataset);
  if (flags.malformedShare !== undefined) profile.malformedShare = parseShare(flags.malformedShare, '--malformed-share');
  const windowMs = flags.windowMs === undefined ? profile.windowMs : parseWholeNumber(flags.windowMs, '--window-ms', 1);
  const startMicros =
    flags.start !== undefined
      ? parseInstantMicros(flags.start, '--start')
      : flags.to === 'file'
        ? parseInstantMicros(defaultFileStart, '--start')
        : systemClock.nowMicros();

  let sink: EventSink;
  let fileSink: FileEventSink | undefined;
  let where: string;
  let release = async (): Promise<void> => undefined;
  const outDir = resolve(flags.out ?? 'generated');
  if (flags.to === 'kafka') {
    const kafka = await deps.kafka();
    release = kafka.release;
    const topic = flags.topic ?? `tierlab.${profile.name}.events`;
    const producer = await openEventProducer(kafka.endpoint, 'tierlab-generate');
    release = async () => {
      await producer.close();
      await kafka.release();
    };
    sink = await openKafkaEventSink({ kafka: createKafkaClient(kafka.endpoint, { clientId: 'tierlab-generate' }), topic, partitions, producer });
    where = `topic ${topic} (${partitions} partitions) at ${kafka.endpoint.brokers.join(',')}`;
  } else {
    sink = fileSink = await openFileEventSink(outDir);
    where = outDir;
  }
  let result: GenerateResult;
  try {
    result = await generate({
      profile,
      seed,
      ...(count !== undefined ? { count } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      rate: { kind: 'constant', ratePerSec },
      startMicros,
      windowMs,
      sink,
      clock: systemClock,
      paced: flags.to === 'kafka',
      onProgress: (p) => {
        if (!deps.isTty) return;
        const seconds = p.elapsedMicros / 1e6;
        process.stderr.write(
          `\r${p.produced.toLocaleString('en-US')} events  ${(p.produced / seconds).toFixed(0)}/s  lag ${(p.currentLagMicros / 1000).toFixed(1)} ms   `,
        );
      },
    });
  } finally {
    await release();
  }
  if (deps.isTty) process.stderr.write('\n');
  const { report } = result;
  const truth = result.groundTruth.result();
  if (fileSink) {
    // An item at a time: a long generation's ground truth is more than one string may hold.
    await writeJsonArray(join(outDir, 'ground-truth.json'), truth);
    await writeFile(
      join(outDir, 'manifest.json'),
      `${JSON.stringify(
        { dataset: profile.name, seed, count: report.produced, startMicros, ratePerSec, windowMs, malformed: report.malformed, sha256: fileSink.sha256() },
        null,
        2,
      )}\n`,
    );
  }
  io.out(`generated ${report.produced.toLocaleString('en-US')} records (${report.malformed} malformed) of ${profile.name}, seed ${seed}, to ${where}`);
  if (flags.to === 'kafka') {
    io.out(`rate: asked ${ratePerSec}/s, achieved ${report.achievedRatePerSec.toFixed(1)}/s`);
    io.out(
      `scheduling lag (scheduled -> sent): p50 ${ms(report.lag.p50Micros)}, p99 ${ms(report.lag.p99Micros)}, max ${ms(report.lag.maxMicros)}, at the end ${ms(report.lag.finalMicros)}`,
    );
  } else {
    io.out(`event times: ${ratePerSec}/s from ${new Date(startMicros / 1000).toISOString()} (written as fast as possible)`);
  }
  io.out(`ground truth: ${truth.length.toLocaleString('en-US')} key-windows of ${windowMs} ms`);
  if (report.fellBehind) {
    io.err(
      `warning: the generator fell behind its schedule (lag grew to ${ms(report.lag.finalMicros)}): this machine cannot sustain ${ratePerSec}/s here; the lag counts in every latency measured`,
    );
  }
}

function ms(micros: number): string {
  return micros >= 1_000_000 ? `${(micros / 1e6).toFixed(2)} s` : `${(micros / 1000).toFixed(2)} ms`;
}
