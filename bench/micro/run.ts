// `npm run bench`: tinybench micro-benchmarks, every bench run for several rounds (`--rounds N`,
// default 3, at least 2) and printed with the machine they ran on. Per benchmark the median of its
// round medians and its spread (the lowest and highest round median) are compared with
// bench/baseline.json; the run fails when a benchmark's range and the baseline's do not overlap on
// the worse side (compare.ts). `npm run bench -- --update-baseline` rewrites the baseline from this run.
import { cpus, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from 'tinybench';
import { describeError, isTierlabError } from '../../src/errors.ts';
import { provisionServices } from '../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { baselineFrom, readBaseline, writeBaseline, type BenchMedian, type Machine } from './baseline.ts';
import { baselineRoundsNote, compareWithBaseline, formatComparison, machineNotes } from './compare.ts';
import { parseBenchFlags, type BenchFlags } from './flags.ts';
import { eventsPerIteration, generatorBench } from './generator.ts';
import { kafkaProduceBench, messagesPerSend } from './kafka-produce.ts';
import { spreadOverRounds } from './rounds.ts';

let flags: BenchFlags;
try {
  flags = parseBenchFlags(process.argv.slice(2));
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
const { rounds } = flags;
const baselinePath = fileURLToPath(new URL('../baseline.json', import.meta.url));
const shownPath = relative(process.cwd(), baselinePath);

/** Every round's median of every benchmark; spreadOverRounds folds them per benchmark at the end. */
const medians: BenchMedian[] = [];
const errored = new Set<string>();

/** Prints one round of a bench's tasks and keeps each median (events/s) for the comparison. */
function report(bench: Bench, round: number, eventsPerTask: (name: string) => number): void {
  console.log(`\n${bench.name}, round ${round} of ${rounds}`);
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      console.log(`  ${task.name}: ${result.state}${'error' in result ? ` (${String(result.error)})` : ''}`);
      errored.add(`${bench.name} / ${task.name}`);
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

// Read first, so that a broken baseline fails before minutes of benchmarking. With
// --update-baseline it is about to be replaced, so a broken or outdated one is only reported:
// otherwise the command that records a new baseline could not run past the old one.
let baselineUnusable = false;
const baseline = await readBaseline(baselinePath).catch((error: unknown) => {
  if (flags.updateBaseline) {
    console.log(`${describeError(error)}\n(this run replaces it: --update-baseline)`);
    baselineUnusable = true;
    return undefined;
  }
  // A baseline without a spread already says how to re-record it.
  const saysHow = isTierlabError(error) && Array.isArray(error.details.withoutSpread);
  console.error(`${describeError(error)}${saysHow ? '' : '\n(fix the file, or record a new one with `npm run bench -- --update-baseline`)'}`);
  process.exit(1);
});

// The generator's rounds run before the broker starts, as its single run did, so that an idle
// Kafka sharing the cores is no part of the in-memory figures.
for (let round = 1; round <= rounds; round++) report(await generatorBench('payments'), round, () => eventsPerIteration);

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
  for (let round = 1; round <= rounds; round++) {
    for (const inFlight of [1, 8]) {
      report(await kafkaProduceBench(services.kafka.endpoint, inFlight), round, () => messagesPerSend * inFlight);
    }
  }
} finally {
  await services.stop();
}

const spreads = spreadOverRounds(medians);
console.log('');
if (baseline === undefined) {
  console.log(
    baselineUnusable
      ? `${shownPath} could not be used (above): every benchmark is new`
      : `no baseline at ${shownPath}: every benchmark is new (\`npm run bench -- --update-baseline\` records one)`,
  );
} else {
  console.log(
    `against ${shownPath} (recorded ${baseline.recordedAt}, ${baseline.rounds} round${baseline.rounds === 1 ? '' : 's'}, ` +
      `${baseline.machine.cpus} × ${baseline.machine.cpuModel}, node ${baseline.machine.node}); ` +
      `each median over ${rounds} rounds with its lowest–highest round, ratio = current / baseline median:`,
  );
  for (const note of [...machineNotes(machine, baseline.machine), ...baselineRoundsNote(baseline)]) console.log(note);
}
const comparison = compareWithBaseline(spreads, baseline);
for (const line of formatComparison(comparison)) console.log(line);

if (errored.size > 0) {
  console.log(`FAILED: ${errored.size} benchmark${errored.size === 1 ? '' : 's'} did not complete in every round: ${[...errored].join(', ')}`);
  if (flags.updateBaseline) console.log(`${shownPath} left as it was: a baseline needs every benchmark in every round`);
  process.exitCode = 1;
} else if (flags.updateBaseline) {
  await writeBaseline(baselinePath, baselineFrom(spreads, rounds, machine, new Date().toISOString()));
  console.log(`wrote ${shownPath} from this run (${spreads.length} benchmarks, ${rounds} rounds)`);
} else if (!comparison.verdict.passed) {
  process.exitCode = 1;
}
