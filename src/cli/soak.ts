import { resolve, join } from 'node:path';
import type { Command } from 'commander';
import { TierlabError, describeError } from '../errors.ts';
import { newRunId } from '../harness/lab-run.ts';
import { runSoak } from '../harness/soak-run.ts';
import { defaultKafkaClient, kafkaClientNames, parseKafkaClient } from '../kafka/driver/types.ts';
import { limits } from '../limits.ts';
import { createLogger } from '../log.ts';
import { parseChoice, parseDurationMs, parsePositiveNumber } from '../parse.ts';
import { renderSoakTable } from '../results/soak-render.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import { writeSoak } from '../soak/file.ts';
import { chooseSoakRate, defaultSoakLoad, storedCapacities } from '../soak/rate.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { servicesForCommand } from './provide.ts';
import type { CliIo } from './io.ts';

interface SoakFlags {
  duration: string;
  tier: string[];
  rate?: string;
  load: string;
  settle?: string;
  sampleEvery: string;
  out: string;
  warmup: boolean;
  kafkaClient: string;
  keep?: boolean;
}

/** Samples per process after the settling time that a trend needs at the least. */
const leastSamples = 3;

export function registerSoakCommand(program: Command, io: CliIo): void {
  program
    .command('soak')
    .description("runs a scenario's tiers at a share of their capacity for a long time and reports whether each process's memory stays flat")
    .argument('<scenario>', 'a name in bench/scenarios/ or a path to a .yaml file')
    .requiredOption('--duration <d>', 'how long the stream runs, e.g. 10m')
    .option('--tier <name>', `a tier to soak, repeatable: ${tierNames.join(', ')} (default: all three, side by side)`, (tier: string, all: string[]) => [...all, tier], [] as string[])
    .option('--rate <r>', 'events per second to offer (default: --load times the lowest stored capacity of the tiers)')
    .option('--load <share>', 'the share of the capacity to offer', String(defaultSoakLoad))
    .option('--settle <d>', 'the start of the stream left out of each trend: heap, JIT and window state filling (default: a quarter of --duration)')
    .option('--sample-every <d>', 'how often each process RSS is read', '5s')
    .option('--out <dir>', 'results folder: capacity.json is looked for there, soak.json written to <dir>/<run-id>/', 'results')
    .option('--no-warmup', 'start without first warming Kafka and S3')
    .option('--kafka-client <client>', `the tiers' Node Kafka client: ${kafkaClientNames.join(' or ')}`, defaultKafkaClient)
    .option('--keep', "keep the soak's topics, consumer groups and buckets (default: removed when it ends)")
    .action(async (name: string, flags: SoakFlags) => {
      await soak(name, flags, io);
    });
}

async function soak(name: string, flags: SoakFlags, io: CliIo): Promise<void> {
  const tiers: TierName[] = flags.tier.length > 0 ? [...new Set(flags.tier.map((tier) => parseChoice(tier, '--tier', tierNames)))] : [...tierNames];
  const durationMs = parseDurationMs(flags.duration, '--duration');
  if (durationMs < 1_000 || durationMs > limits.soakMs) {
    throw new TierlabError('BAD_INPUT', `--duration must be from 1s to ${limits.soakMs / 3_600_000}h (got "${flags.duration}")`, { details: { duration: flags.duration } });
  }
  const settleMs = flags.settle === undefined ? Math.round(durationMs / 4) : parseDurationMs(flags.settle, '--settle');
  const sampleEveryMs = parseDurationMs(flags.sampleEvery, '--sample-every');
  if (sampleEveryMs < 100) throw new TierlabError('BAD_INPUT', `--sample-every must be at least 100ms (got "${flags.sampleEvery}")`, { details: { sampleEvery: flags.sampleEvery } });
  if (durationMs - settleMs < leastSamples * sampleEveryMs) {
    throw new TierlabError(
      'BAD_INPUT',
      `--duration ${flags.duration} leaves too little after --settle ${flags.settle ?? `${settleMs / 1000}s`} for ${leastSamples} samples every ${flags.sampleEvery}: soak longer, settle less or sample more often`,
      { details: { duration: flags.duration, settle: flags.settle, sampleEvery: flags.sampleEvery } },
    );
  }
  const load = parsePositiveNumber(flags.load, '--load', 1);
  const asked = flags.rate === undefined ? undefined : parsePositiveNumber(flags.rate, '--rate', limits.ratePerSec);
  const kafkaClient = parseKafkaClient(flags.kafkaClient);
  const scenario = await loadScenario(name, { quick: false, engines: {} });
  const resultsDir = resolve(flags.out);
  // Once a file: each tier's lookup meets the same broken one.
  const told = new Set<string>();
  const skipped = (path: string, error: unknown) => {
    if (!told.has(path)) io.err(`note: skipped ${path}: ${describeError(error)}`);
    told.add(path);
  };
  const rate = chooseSoakRate(scenario.name, tiers, await storedCapacities(resultsDir, scenario.name, tiers, skipped), load, asked);
  const runId = newRunId(scenario.name);
  io.err(`tierlab: soak of ${scenario.name} (${tiers.join(', ')}) for ${durationMs / 1000} s at ${rate.why}`);
  const services = await servicesForCommand(io);
  const logger = createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' });
  try {
    let lastProgress = 0;
    const result = await runSoak({
      runId,
      scenario,
      services,
      tiers,
      rate,
      durationSec: durationMs / 1000,
      warmupSec: settleMs / 1000,
      sampleEverySec: sampleEveryMs / 1000,
      warmup: flags.warmup,
      kafkaClient,
      keep: flags.keep === true,
      logger,
      onStage: (message) => io.err(message),
      onProgress: (progress) => {
        // A line a minute: a soak runs long, and its log should stay readable.
        if (Date.now() - lastProgress < 60_000) return;
        lastProgress = Date.now();
        io.err(`${progress.phase}: ${progress.produced.toLocaleString('en-US')} events; ${progress.tiers.map((t) => `${t.name} ${t.state} ${t.visible.toLocaleString('en-US')} visible`).join(', ')}`);
      },
    });
    const path = await writeSoak(join(resultsDir, runId), result);
    io.out(renderSoakTable(result));
    io.out(`\nsoak: ${path}`);
    const failed = result.tiers.filter((t) => t.state !== 'ok' || !t.correct).map((t) => t.name);
    if (failed.length > 0) io.err(`tierlab: ${failed.join(', ')} did not end equal to the ground truth`);
    if (result.verdict !== 'flat' || failed.length > 0) process.exitCode = 1;
  } finally {
    await services.stop();
  }
}
