import { resolve } from 'node:path';
import type { Command } from 'commander';
import { latestCapacityFor } from '../capacity/file.ts';
import { pageAssets } from '../demo/assets.ts';
import { isLoopback } from '../demo/host.ts';
import { startDemo, type LiveDemo } from '../demo/run-demo.ts';
import { describeError, TierlabError } from '../errors.ts';
import { latestFloor } from '../floor/file.ts';
import { parseFault } from '../harness/faults/spec.ts';
import { runLab } from '../harness/lab-run.ts';
import { writeLabReport } from '../harness/report-output.ts';
import { defaultKafkaClient, kafkaClientNames, parseKafkaClient } from '../kafka/driver/types.ts';
import { createLogger } from '../log.ts';
import { executions, type RunSummary } from '../results/summary.ts';
import { loadScenario } from '../scenarios/scenario.ts';
import { guarantees, parseGuarantee } from '../tiers/guarantee.ts';
import { parseChoice, parseWholeNumber } from '../parse.ts';
import { servicesForCommand } from './provide.ts';
import { engineOption, parseEngines } from './engines.ts';
import type { CliIo } from './io.ts';

interface DemoFlags {
  engine: string[];
  port: string;
  host: string;
  out: string;
  quick?: boolean;
  execution: string;
  warmup: boolean;
  kafkaClient: string;
  guarantee?: string;
  fault: string[];
  keep?: boolean;
}

/** The port: `tierlab demo fraud-detection --quick --port 7071`. */
export const defaultDemoPort = 7071;

export function registerDemoCommand(program: Command, io: CliIo): void {
  engineOption(program.command('demo'))
    .description('the live page for a buyer: starts a run and serves three lanes, the SLA control and the recommendation')
    .argument('[scenario]', 'a name in bench/scenarios/ or a path to a .yaml file', 'demo')
    .option('--port <n>', 'port to serve the page on (0: any free port)', String(defaultDemoPort))
    .option('--host <host>', 'address to serve on; anything but loopback shows the page (and the run\'s report) to your network', '127.0.0.1')
    .option('--out <dir>', 'results folder', 'results')
    .option('--quick', 'a shorter run that shows the same thing')
    // Side by side by default: a live demo shows three lanes moving at once (docs/measurement.md, "Execution, spread and repeats").
    .option('--execution <mode>', 'together: the tiers side by side on one stream; isolated: each alone, one after another (the figures a decision should use)', 'together')
    .option('--no-warmup', 'skip warming Kafka and S3 first')
    .option('--keep', "keep the run's topics, consumer groups and buckets (default: removed when it ends)")
    .option('--kafka-client <client>', `the tiers' Node Kafka client: ${kafkaClientNames.join(' or ')}`, defaultKafkaClient)
    .option('--guarantee <guarantee>', `the streaming tier's guarantee after a crash: ${guarantees.join(' or ')}`)
    .option('--fault <spec>', 'a fault to inject, repeatable, as for tierlab run (kill:TIER@T, ...): marked on the lanes', (spec: string, all: string[]) => [...all, spec], [] as string[])
    .action(async (scenarioName: string, flags: DemoFlags) => {
      await runDemo(scenarioName, flags, io);
    });
}

async function runDemo(name: string, flags: DemoFlags, io: CliIo): Promise<void> {
  const port = parseWholeNumber(flags.port, '--port');
  if (port > 65_535) throw new TierlabError('BAD_INPUT', `--port must be at most 65535 (got ${port})`, { details: { port } });
  const execution = parseChoice(flags.execution, '--execution', executions);
  const kafkaClient = parseKafkaClient(flags.kafkaClient);
  const guarantee = flags.guarantee === undefined ? undefined : parseGuarantee(flags.guarantee);
  const faults = flags.fault.map(parseFault);
  const scenario = await loadScenario(name, { quick: flags.quick === true, ...(guarantee ? { guarantee } : {}), engines: parseEngines(flags.engine) });
  if (!isLoopback(flags.host)) {
    io.err(`warning: serving on ${flags.host}: anyone who can reach this machine sees the page and the run's report; the default is 127.0.0.1`);
  }
  const resultsDir = resolve(flags.out);
  const services = await servicesForCommand(io);
  let servicesStopped = false;
  const stopServices = async () => {
    if (!servicesStopped) await services.stop();
    servicesStopped = true;
  };
  let demo: LiveDemo | undefined;
  try {
    demo = await startDemo({
      scenario,
      lab: {
        services,
        resultsDir,
        execution,
        warmup: flags.warmup,
        kafkaClient,
        faults,
        keep: flags.keep === true,
        logger: createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' }),
      },
      runLab,
      writeReport: async (dir, summary) => {
        const skipped = (path: string, error: unknown) => io.err(`note: skipped ${path}: ${describeError(error)}`);
        const capacity = await latestCapacityFor(resultsDir, scenario.name, skipped);
        const floor = await latestFloor(resultsDir, skipped);
        return writeLabReport(dir, summary, { ...(capacity ? { capacity: capacity.result } : {}), ...(floor ? { floor: floor.result } : {}) });
      },
      assets: pageAssets(),
      host: flags.host,
      port,
      onStage: (message) => io.err(message),
      onServerError: (error) => io.err(`demo server: ${describeError(error)}`),
    });
    io.out(`tierlab demo: ${scenario.title}${scenario.quick ? ' (quick)' : ''}, tiers ${execution === 'together' ? 'side by side' : 'one at a time'}`);
    io.out(`open ${demo.url}`);
    const { dir, summary } = await demo.run;
    await stopServices();
    io.out(`recommendation: ${summary.recommendation.why}`);
    io.out(`report: ${demo.url}run/report.html (${dir}/report.html)`);
    io.out('the page stays up until Ctrl-C');
    const failed = failures(summary);
    if (failed.length > 0) {
      io.err(`tierlab: ${failed.join('; ')}`);
      process.exitCode = 1;
    }
    // The server keeps this process alive for the buyer's questions; Ctrl-C ends it.
  } catch (error) {
    // Nothing left to show: the page closes with the command, which then reports the error.
    await demo?.close();
    await stopServices();
    throw error;
  }
}

function failures(summary: RunSummary): string[] {
  return Object.entries(summary.tiers).flatMap(([n, t]) => {
    if (t.state !== 'ok') return [`${n} errored: ${t.error}`];
    if (!t.correct) return [`${n} disagreed with the ground truth`];
    return [];
  });
}
