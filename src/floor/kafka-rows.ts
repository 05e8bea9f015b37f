import { ensureClasspath, kafkaToolsClasspath } from '../services/native/classpaths.ts';
import { runCommand } from '../services/native/commands.ts';
import { detectJava } from '../services/native/java.ts';
import { ResourceSampler } from '../metrics/resources.ts';
import type { FloorPart, FloorPlan } from './run-floor.ts';
import { runEndToEndLatency, runProducerPerformance, type KafkaToolRun } from './kafka-tools.ts';
import type { FloorRow } from '../results/floor.ts';

/** EndToEndLatency is closed loop: this many records take about 5–15 s on a warm local broker. */
const endToEndRecords = 5_000;

/** Rows (a) and (b): Kafka's own Java tools on the same broker, fetched with Maven like the broker's jars. */
export function kafkaToolRows(tools: { cacheDir: string; javaHome?: string }): FloorPart {
  return async (plan: FloorPlan): Promise<FloorRow[]> => {
    const java = await detectJava(runCommand, tools.javaHome);
    const { classpath } = await ensureClasspath(kafkaToolsClasspath, tools.cacheDir, runCommand);
    const common = { classpath, java: java.command, kafka: plan.services.kafka.endpoint, recordBytes: plan.recordBytes, acks: 'all' as const };
    const e2e = await measured(plan, () => runEndToEndLatency({ ...common, topic: `tierlab.${plan.runId}.e2e`, records: endToEndRecords }));
    const perf = await measured(plan, () =>
      runProducerPerformance({
        ...common,
        topic: `tierlab.${plan.runId}.producer-perf`,
        records: Math.round(plan.ratePerSec * plan.durationSec),
        throughputPerSec: plan.ratePerSec,
        partitions: plan.scenario.partitions,
      }),
    );
    return [
      row('kafka-e2e', `Kafka's EndToEndLatency: produce one ${plan.recordBytes}-byte record (acks=all), consume it, then the next`, 'closed', e2e),
      row('kafka-producer-perf', `Kafka's ProducerPerformance at ${plan.ratePerSec}/s: send to acknowledgement (acks=all, linger.ms 5), not end to end`, 'open', perf),
    ];
  };
}

interface Measured {
  run: KafkaToolRun;
  brokerCpuSeconds: number | undefined;
}

async function measured(plan: FloorPlan, tool: () => Promise<KafkaToolRun>): Promise<Measured> {
  const sampler = new ResourceSampler();
  const pid = plan.services.kafka.description.pid;
  if (pid) sampler.watch('kafka-broker', pid);
  sampler.start();
  const run = await tool();
  const usage = await sampler.stop();
  return { run, brokerCpuSeconds: usage.get('kafka-broker')?.cpuSeconds };
}

function row(name: FloorRow['name'], what: string, loop: FloorRow['loop'], { run, brokerCpuSeconds }: Measured): FloorRow {
  const { latency } = run;
  const perEvent = (seconds: number | undefined) => (seconds !== undefined && latency.count > 0 ? (seconds * 1e6) / latency.count : undefined);
  const client = perEvent(run.cpuSeconds);
  const broker = perEvent(brokerCpuSeconds);
  return {
    name,
    what: `${what}; ${run.tool} ${run.args.join(' ')}`,
    loop,
    // Both tools report whole milliseconds.
    resolution: 'ms',
    count: latency.count,
    p50Micros: latency.p50Micros,
    p99Micros: latency.p99Micros,
    p999Micros: latency.p999Micros,
    ...(latency.maxMicros !== undefined ? { maxMicros: latency.maxMicros } : {}),
    // The JVM's whole life, start-up and JIT included: an upper bound on the tool's CPU per record.
    ...(client !== undefined ? { cpuMicrosPerEvent: client } : {}),
    ...(broker !== undefined ? { brokerCpuMicrosPerEvent: broker } : {}),
  };
}
