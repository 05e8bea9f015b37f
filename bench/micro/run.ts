// `npm run bench`: tinybench micro-benchmarks, printed with the machine they ran on, then each
// median compared with bench/baseline.json; the run fails when one is more than the baseline's
// maxSlowdown worse. `npm run bench -- --update-baseline` rewrites the baseline from this run.
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Bench } from 'tinybench';
import { describeError } from '../../src/errors.ts';
import { provisionServices } from '../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { baselineFrom, defaultMaxSlowdown, readBaseline, writeBaseline, type BenchMedian, type Machine } from './baseline.ts';
import { compareWithBaseline, formatComparison, machineNotes } from './compare.ts';
import { eventsPerIteration, generatorBench } from './generator.ts';
import { kafkaProduceBench, messagesPerSend } from './kafka-produce.ts';

const { values: flags } = parseArgs({ options: { 'update-baseline': { type: 'boolean', default: false } }, strict: true });
const baselinePath = fileURLToPath(new URL('../baseline.json', import.meta.url));
const shownPath = relative(process.cwd(), baselinePath);

const medians: BenchMedian[] = [];
const errored: string[] = [];

/** Prints a bench's tasks and keeps each median (events/s) for the comparison. */
function report(bench: Bench, eventsPerTask: (name: string) => number): void {
  console.log(`\n${bench.name}`);
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      console.log(`  ${task.name}: ${result.state}${'error' in result ? ` (${String(result.error)})` : ''}`);
      errored.push(`${bench.name} / ${task.name}`);
      continue;
    }
    const latency = result.latency; // ms per iteration
    const eventsPerSec = (eventsPerTask(task.name) / latency.p50) * 1000;
    medians.push({ name: `${bench.name} / ${task.name}`, unit: 'events/s', median: eventsPerSec });
    console.log(
      `  ${task.name.padEnd(36)} ${Math.round(eventsPerSec).toLocaleString('en-US').padStart(12)} events/s (median)` +
        `   ${latency.p50.toFixed(3)} ms/iteration ±${latency.rme.toFixed(1)}%, ${latency.samplesCount} samples`,
    );
  }
}

const machine: Machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown CPU', node: process.version };
console.log(`machine: ${machine.cpuModel}, ${machine.cpus} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${machine.node}`);
console.log('(one shared machine: compare ratios within a run, not absolute numbers across runs)');

// Read first, so that a broken baseline fails before a minute of benchmarking.
const baseline = await readBaseline(baselinePath).catch((error: unknown) => {
  console.error(`${describeError(error)}\n(fix the file, or delete it and run \`npm run bench -- --update-baseline\`)`);
  process.exit(1);
});
const maxSlowdown = baseline?.maxSlowdown ?? defaultMaxSlowdown;

report(await generatorBench('payments'), () => eventsPerIteration);

// Ports of its own, apart from the integration tests' (29092/29000) and their orphans test's
// (39092/39000), so that a bench run and `npm test` can share the machine.
const services = await provisionServices({
  mode: 'auto',
  ownership: 'session',
  settings: serviceSettingsFrom({ TIERLAB_KAFKA_PORT: '49092', TIERLAB_KAFKA_CONTROLLER_PORT: '49093', TIERLAB_S3_PORT: '49000', ...process.env }),
  env: process.env,
});
try {
  console.log(`\nKafka: ${services.kafka.description.server} ${services.kafka.description.version} (${services.mode}) at ${services.kafka.description.endpoint}`);
  for (const inFlight of [1, 8]) {
    report(await kafkaProduceBench(services.kafka.endpoint, inFlight), () => messagesPerSend * inFlight);
  }
} finally {
  await services.stop();
}

console.log('');
if (baseline === undefined) {
  console.log(`no baseline at ${shownPath}: every benchmark is new (\`npm run bench -- --update-baseline\` records one)`);
} else {
  console.log(`against ${shownPath} (recorded ${baseline.recordedAt}, ${baseline.machine.cpus} × ${baseline.machine.cpuModel}, node ${baseline.machine.node}); ratio = current / baseline:`);
  for (const note of machineNotes(machine, baseline.machine)) console.log(note);
}
const comparison = compareWithBaseline(medians, baseline, { maxSlowdown });
for (const line of formatComparison(comparison, maxSlowdown)) console.log(line);

if (errored.length > 0) {
  console.log(`FAILED: ${errored.length} benchmark${errored.length === 1 ? '' : 's'} did not complete: ${errored.join(', ')}`);
  if (flags['update-baseline']) console.log(`${shownPath} left as it was: a baseline needs every benchmark`);
  process.exitCode = 1;
} else if (flags['update-baseline']) {
  await writeBaseline(baselinePath, baselineFrom(medians, machine, new Date().toISOString(), maxSlowdown));
  console.log(`wrote ${shownPath} from this run (${medians.length} benchmarks, maxSlowdown ${maxSlowdown})`);
} else if (!comparison.verdict.passed) {
  process.exitCode = 1;
}
