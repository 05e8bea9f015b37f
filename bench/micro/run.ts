// `npm run bench`: tinybench micro-benchmarks, printed with the machine they ran on.
import { cpus, totalmem } from 'node:os';
import type { Bench } from 'tinybench';
import { provisionServices } from '../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { eventsPerIteration, generatorBench } from './generator.ts';
import { kafkaProduceBench, messagesPerSend } from './kafka-produce.ts';

function report(bench: Bench, eventsPerTask: (name: string) => number): void {
  console.log(`\n${bench.name}`);
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') {
      console.log(`  ${task.name}: ${result.state}${'error' in result ? ` (${String(result.error)})` : ''}`);
      continue;
    }
    const latency = result.latency; // ms per iteration
    const eventsPerSec = (eventsPerTask(task.name) / latency.p50) * 1000;
    console.log(
      `  ${task.name.padEnd(36)} ${Math.round(eventsPerSec).toLocaleString('en-US').padStart(12)} events/s (median)` +
        `   ${latency.p50.toFixed(3)} ms/iteration ±${latency.rme.toFixed(1)}%, ${latency.samplesCount} samples`,
    );
  }
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`);
console.log('(one shared machine: compare ratios within a run, not absolute numbers across runs)');

report(await generatorBench('payments'), () => eventsPerIteration);

const services = await provisionServices({
  mode: 'auto',
  ownership: 'session',
  settings: serviceSettingsFrom({ TIERLAB_KAFKA_PORT: '29092', TIERLAB_KAFKA_CONTROLLER_PORT: '29093', TIERLAB_S3_PORT: '29000', ...process.env }),
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
