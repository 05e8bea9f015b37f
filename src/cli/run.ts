import { resolve } from 'node:path';
import type { Command } from 'commander';
import logUpdate from 'log-update';
import { latestCapacityFor } from '../capacity/file.ts';
import { latestFloor } from '../floor/file.ts';
import { describeError, TierlabError } from '../errors.ts';
import { runLab } from '../harness/lab-run.ts';
import type { RunProgress } from '../harness/run-tiers.ts';
import { createLogger } from '../log.ts';
import { writeLabReport } from '../harness/report-output.ts';
import { limits } from '../limits.ts';
import { human } from '../results/recommend.ts';
import { closingLines } from '../results/run-text.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import { executions } from '../results/summary.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { defaultKafkaClient, kafkaClientNames, parseKafkaClient } from '../kafka/driver/types.ts';
import { parseFault } from '../harness/faults/spec.ts';
import { guarantees, parseGuarantee } from '../tiers/guarantee.ts';
import { parseChoice, parseWholeNumber } from '../parse.ts';
import { engineOption, parseEngines } from './engines.ts';
import { parseWorkers, workersOption } from './workers.ts';
import { servicesForCommand, warehouseForCommand } from './provide.ts';
import type { WarehouseHandle } from '../services/warehouse.ts';
import type { CliIo } from './io.ts';

interface RunFlags {
  out: string;
  quick?: boolean;
  inProcess?: boolean;
  execution: string;
  repeat: string;
  warmup: boolean;
  kafkaClient: string;
  guarantee?: string;
  fault: string[];
  engine: string[];
  workers: string[];
  keep?: boolean;
}

function measurementOptions(command: Command): Command {
  return workersOption(engineOption(command))
    .option('--execution <mode>', 'isolated: each tier alone on the identical stream, one after another; together: side by side', 'isolated')
    .option('--repeat <n>', 'run the whole measurement n times; the report shows the median and min-max', '1')
    .option('--no-warmup', 'measure without first warming Kafka and S3 (shows what a cold broker does)')
    .option('--keep', "keep the run's topics, consumer groups and buckets (default: removed when it ends)")
    .option('--kafka-client <client>', `the tiers' Node Kafka client: ${kafkaClientNames.join(' or ')}`, defaultKafkaClient)
    .option('--guarantee <guarantee>', `the streaming tier's guarantee after a crash: ${guarantees.join(' or ')} (default: the scenario's, else at-least-once)`)
    .option(
      '--fault <spec>',
      "inject a fault, repeatable: kill:TIER@T SIGKILLs the tier's worker T after its stream starts and starts a new one (kill:TIER#W@T: its W-th of several); " +
        'broker-restart@T stops the Kafka broker and starts it again; s3-outage@T+D stops the S3 server for D (these two: native services only)',
      (spec: string, all: string[]) => [...all, spec],
      [] as string[],
    );
}

export function registerRunCommands(program: Command, io: CliIo, isTty: boolean): void {
  measurementOptions(
    program
      .command('run')
      .description('run a scenario: all three tiers on one stream, measured; writes results/<run-id>/')
      .argument('<scenario>', 'a name in bench/scenarios/ (demo, exec-dashboard, ...) or a path to a .yaml file')
      .option('--out <dir>', 'results folder', 'results')
      .option('--quick', 'a shorter run that shows the same thing')
      .option('--in-process', 'run the tiers and the generator in this process (resource use is then not attributed per tier)'),
  ).action(async (scenario: string, flags: RunFlags) => {
      await runScenario(scenario, flags, [...tierNames], io, isTty);
    });
  measurementOptions(
    program
      .command('tier')
      .description('run one tier alone on a scenario, for workshops')
      .argument('<tier>', `one of ${tierNames.join(', ')}`)
      .requiredOption('--scenario <name>', 'the scenario to run it on')
      .option('--out <dir>', 'results folder', 'results')
      .option('--quick', 'a shorter run'),
  ).action(async (tier: string, flags: RunFlags & { scenario: string }) => {
      if (!(tierNames as readonly string[]).includes(tier)) {
        throw new TierlabError('UNKNOWN_NAME', `unknown tier "${tier}"; known: ${tierNames.join(', ')}`);
      }
      await runScenario(flags.scenario, flags, [tier as TierName], io, isTty);
    });
}

async function runScenario(name: string, flags: RunFlags, tiers: TierName[], io: CliIo, isTty: boolean): Promise<void> {
  const execution = parseChoice(flags.execution, '--execution', executions);
  const repeat = parseWholeNumber(flags.repeat, '--repeat', 1, limits.repeat);
  const kafkaClient = parseKafkaClient(flags.kafkaClient);
  const guarantee = flags.guarantee === undefined ? undefined : parseGuarantee(flags.guarantee);
  const faults = flags.fault.map(parseFault);
  const engines = parseEngines(flags.engine);
  const workers = parseWorkers(flags.workers);
  const scenario = await loadScenario(name, { quick: flags.quick === true, ...(guarantee ? { guarantee } : {}), engines, workers });
  const resultsDir = resolve(flags.out);
  const seconds =
    tiers.length === 1
      ? `${scenario.durationSec} s, ${tiers[0]} alone`
      : execution === 'isolated'
        ? `${scenario.isolatedDurationSec} s per tier, one tier at a time`
        : `${scenario.durationSec} s, tiers side by side`;
  io.err(`tierlab: ${scenario.title} (${seconds}${repeat > 1 ? `, ${repeat} repeats` : ''}${scenario.quick ? ', quick' : ''}): ${scenario.question}`);
  const services = await servicesForCommand(io);
  const logger = createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' });
  let warehouse: WarehouseHandle | undefined;
  try {
    // Only a scenario with a lakehouse serves a warehouse: the others never need PostgreSQL.
    if (scenario.lakehouse) warehouse = await warehouseForCommand(io);
    const started = Date.now();
    const { dir, summary } = await runLab({
      scenario,
      services,
      resultsDir,
      tiers,
      execution,
      repeat,
      warmup: flags.warmup,
      inProcess: flags.inProcess === true,
      kafkaClient,
      faults,
      keep: flags.keep === true,
      ...(warehouse ? { warehouse: { endpoint: warehouse.endpoint, pid: warehouse.description.pid } } : {}),
      logger,
      onStage: (message) => {
        if (isTty) logUpdate.done();
        io.err(message);
      },
      onProgress: (progress, pass) => showProgress(progress, pass, started, isTty, io),
    });
    if (isTty) logUpdate.done();
    // The scenario's newest capacity curve and the newest floor, where those commands made them, go on the same page.
    const skipped = (path: string, error: unknown) => io.err(`note: skipped ${path}: ${describeError(error)}`);
    const capacity = await latestCapacityFor(resultsDir, scenario.name, skipped);
    const floor = await latestFloor(resultsDir, skipped);
    const report = await writeLabReport(dir, summary, {
      ...(capacity ? { capacity: capacity.result } : {}),
      ...(floor ? { floor: floor.result } : {}),
    });
    for (const shown of [capacity, floor]) if (shown) io.err(`shown beside this run: ${shown.path}`);
    for (const line of closingLines(summary)) io.out(line);
    io.out(`\nreport: ${report.html}\n        ${report.markdown}\n        ${dir}/summary.json`);
    if (report.screenshot) io.out(`        ${report.screenshot}`);
    const failed = Object.entries(summary.tiers).flatMap(([n, t]) => {
      if (t.state !== 'ok') return [`${n} errored: ${t.error}`];
      if (!t.correct) return [`${n} disagreed with the ground truth`];
      // A record neither counted nor in the dead-letter topic is lost: as much a failure as a wrong answer.
      if (!t.deadLetters.reconciles) return [`${n}'s dead letters do not reconcile (${t.deadLetters.accepted} + ${t.deadLetters.rejected} != ${t.deadLetters.produced}, ${t.deadLetters.inDeadLetterTopic} in the topic)`];
      return [];
    });
    if (failed.length > 0) {
      io.err(`tierlab: ${failed.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await warehouse?.stop();
    await services.stop();
  }
}

let lastLine = 0;
function showProgress(progress: RunProgress, pass: string, started: number, isTty: boolean, io: CliIo): void {
  const seconds = (Date.now() - started) / 1000;
  const lines = [
    `${pass}: ${progress.phase} ${seconds.toFixed(0)} s: ${progress.produced.toLocaleString('en-US')} events produced, generator lag ${human(progress.generatorLagMicros)}`,
    ...progress.tiers.map(
      (t) =>
        `  ${t.name.padEnd(10)} ${t.state.padEnd(8)} ${t.visible.toLocaleString('en-US').padStart(9)} visible` +
        `   behind ${(progress.produced - t.visible).toLocaleString('en-US').padStart(7)}` +
        `   latest latency ${t.latestLatencyMicros === undefined ? '-' : human(t.latestLatencyMicros)}`,
    ),
  ];
  if (isTty) logUpdate(lines.join('\n'));
  else if (Date.now() - lastLine > 10_000) {
    lastLine = Date.now();
    io.err(lines.join('\n'));
  }
}

