import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TierlabError } from '../errors.ts';
import { createKafkaClient } from '../kafka/client.ts';
import { ensureTopic } from '../kafka/topics.ts';
import { ResourceSampler } from '../metrics/resources.ts';
import { startProcess } from '../services/native/process.ts';
import type { KafkaEndpoint } from '../services/types.ts';

/**
 * Rows (a) and (b) of `tierlab floor`: Kafka's own EndToEndLatency and ProducerPerformance, from
 * `org.apache.kafka:kafka-tools` at the broker's version (see kafkaToolsClasspath), run as a child
 * JVM against the same broker as the tiers.
 *
 * Both tools report milliseconds; the parsers turn them into µs so they sit beside our own rows.
 * Their percentiles are whole milliseconds, truncated (a reading of 1 ms is any latency in
 * [1, 2) ms), so they are coarse beside our µs histograms: the page has to say so.
 */

export type KafkaToolName = 'EndToEndLatency' | 'ProducerPerformance';

export interface ToolLatency {
  count: number;
  avgMicros: number;
  p50Micros: number;
  p99Micros: number;
  p999Micros: number;
  /** ProducerPerformance prints its max; EndToEndLatency does not. */
  maxMicros?: number;
}

export interface ProducerPerformanceLatency extends ToolLatency {
  maxMicros: number;
  p95Micros: number;
  /** The rate the tool achieved over its whole run, as it reports it. */
  achievedPerSec: number;
}

export interface KafkaToolOptions {
  /** `lib/*` of the resolved kafkaToolsClasspath. */
  classpath: string;
  kafka: KafkaEndpoint;
  topic: string;
  records: number;
  recordBytes: number;
  acks: 'all' | '1';
  /** The java command; detectJava's answer. */
  java?: string;
  heapMegabytes?: number;
  /** The tool is stopped (and the run fails) past this; the default allows for a slow machine. */
  timeoutMillis?: number;
  /** Milliseconds, sub-millisecond resolution. */
  now?: () => number;
}

export interface ProducerPerformanceOptions extends KafkaToolOptions {
  /** The tool's own throttle; -1 for as fast as it can. */
  throughputPerSec: number;
  /** Partitions of the topic it creates; EndToEndLatency always uses one. */
  partitions?: number;
}

export interface KafkaToolRun<L extends ToolLatency = ToolLatency> {
  tool: KafkaToolName;
  /** The tool's arguments after its class name, for the page and for reproducing the run. */
  args: string[];
  latency: L;
  /** The JVM's whole life, start-up and JIT included (see childrenCpuSeconds); absent without /proc. */
  cpuSeconds?: number;
  peakRssBytes?: number;
  wallMillis: number;
  /** What the tool printed: its stdout with its WARN logs and any stack trace. */
  output: string;
}

/** Closed loop: one record is produced (acks as given), then polled back, before the next is sent. */
export async function runEndToEndLatency(options: KafkaToolOptions): Promise<KafkaToolRun> {
  await createTopic(options.kafka, options.topic, 1); // the tool itself would create one partition
  const timeoutMillis = options.timeoutMillis ?? 120_000 + options.records * 20;
  return runTool('EndToEndLatency', endToEndLatencyArgs(options), options, timeoutMillis, (output) =>
    parseEndToEndLatency(output, options.records),
  );
}

/** Open loop at the tool's throttle; its latency is send to ack, not end to end. */
export async function runProducerPerformance(
  options: ProducerPerformanceOptions,
): Promise<KafkaToolRun<ProducerPerformanceLatency>> {
  await createTopic(options.kafka, options.topic, options.partitions ?? 1);
  const expectedMillis = options.throughputPerSec > 0 ? (options.records / options.throughputPerSec) * 1000 : 0;
  const timeoutMillis = options.timeoutMillis ?? 120_000 + 2 * expectedMillis;
  const args = producerPerformanceArgs(options);
  const run = await runTool('ProducerPerformance', args, options, timeoutMillis, parseProducerPerformance);
  if (run.latency.count !== options.records) {
    throw toolError('ProducerPerformance', `acknowledged ${run.latency.count} of ${options.records} records`, run.output);
  }
  return run;
}

type ToolWorkload = Pick<KafkaToolOptions, 'kafka' | 'topic' | 'records' | 'recordBytes' | 'acks'>;

/** Kafka 4.x named arguments (the positional form is deprecated until 5.0). */
export function endToEndLatencyArgs(options: ToolWorkload): string[] {
  return [
    '--bootstrap-server', bootstrapOf(options.kafka),
    '--topic', options.topic,
    '--num-records', String(options.records),
    '--producer-acks', options.acks,
    '--record-size', String(options.recordBytes),
  ];
}

/** `--command-property` replaces the deprecated `--producer-props` in Kafka 4.x. */
export function producerPerformanceArgs(options: ToolWorkload & { throughputPerSec: number }): string[] {
  return [
    '--bootstrap-server', bootstrapOf(options.kafka),
    '--topic', options.topic,
    '--num-records', String(options.records),
    '--record-size', String(options.recordBytes),
    '--throughput', String(options.throughputPerSec),
    '--command-property', `acks=${options.acks}`,
  ];
}

// "Avg latency: 1.2345 ms" then "Percentiles: 50th = 1, 99th = 8, 99.9th = 18" (whole ms, truncated).
const e2eAverage = /^Avg latency: (\d+(?:\.\d+)?) ms\s*$/m;
const e2ePercentiles = /^Percentiles: 50th = (\d+), 99th = (\d+), 99\.9th = (\d+)\s*$/m;

/**
 * EndToEndLatency's summary, in µs. The tool does not print a count or a max: it exits non-zero
 * unless every one of `records` came back, so a summary means all of them were measured.
 */
export function parseEndToEndLatency(output: string, records: number): ToolLatency {
  const average = e2eAverage.exec(output);
  const percentiles = e2ePercentiles.exec(output);
  if (!average || !percentiles) throw toolError('EndToEndLatency', 'printed no latency summary', output);
  return {
    count: records,
    avgMicros: millisToMicros(average[1]!),
    p50Micros: millisToMicros(percentiles[1]!),
    p99Micros: millisToMicros(percentiles[2]!),
    p999Micros: millisToMicros(percentiles[3]!),
  };
}

// The whole-run line; progress lines lack the percentiles and a warm-up run's extra line says "steady state".
const decimal = String.raw`(\d+(?:\.\d+)?)`;
const ppTotal = new RegExp(
  String.raw`^(\d+) records sent, ${decimal} records/sec \([\d.]+ MB/sec\), ${decimal} ms avg latency, ${decimal} ms max latency, ` +
    String.raw`(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.\s*$`,
  'm',
);

/** ProducerPerformance's final summary, in µs (its latencies are send to acknowledgement). */
export function parseProducerPerformance(output: string): ProducerPerformanceLatency {
  const total = ppTotal.exec(output);
  if (!total) throw toolError('ProducerPerformance', 'printed no final summary', output);
  const [, count, perSec, avg, max, p50, p95, p99, p999] = total as unknown as string[];
  return {
    count: Number(count),
    achievedPerSec: Number(perSec),
    avgMicros: millisToMicros(avg!),
    maxMicros: millisToMicros(max!),
    p50Micros: millisToMicros(p50!),
    p95Micros: millisToMicros(p95!),
    p99Micros: millisToMicros(p99!),
    p999Micros: millisToMicros(p999!),
  };
}

function millisToMicros(millis: string): number {
  return Math.round(Number(millis) * 1000);
}

function bootstrapOf(kafka: KafkaEndpoint): string {
  if (kafka.ssl || kafka.sasl) {
    // The tools would need a --command-config with the same TLS/SASL settings; not written yet.
    throw new TierlabError('BAD_INPUT', "Kafka's own tools are run without TLS or SASL; point the floor at a plaintext broker", {
      details: { brokers: kafka.brokers },
    });
  }
  return kafka.brokers.join(',');
}

async function createTopic(kafka: KafkaEndpoint, topic: string, partitions: number): Promise<void> {
  bootstrapOf(kafka);
  const admin = createKafkaClient(kafka, { clientId: 'tierlab-floor-tools' }).admin();
  try {
    await admin.connect();
    await ensureTopic(admin, topic, partitions);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// WARN and above, to stderr, which goes to the same output file as the tool's own lines.
const log4jProperties = `# Written by tierlab for Kafka's own tools: warnings only.
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
`;

async function runTool<L extends ToolLatency>(
  tool: KafkaToolName,
  args: string[],
  options: KafkaToolOptions,
  timeoutMillis: number,
  parse: (output: string) => L,
): Promise<KafkaToolRun<L>> {
  const now = options.now ?? (() => performance.now());
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-kafka-tools-'));
  try {
    const log4jPath = join(dir, 'log4j2.properties');
    const outputPath = join(dir, 'output.log');
    await writeFile(log4jPath, log4jProperties);
    const jvm = [
      `-Xmx${options.heapMegabytes ?? 512}m`,
      `-Dlog4j2.configurationFile=${log4jPath}`,
      // The tools format numbers with the default locale; a decimal comma would defeat the parsers.
      '-Duser.language=en',
      '-Duser.country=US',
    ];
    const cpuBefore = await childrenCpuSeconds();
    const started = now();
    // Under the session watchdog, so the JVM dies with us even if this process is killed.
    const command = [...jvm, '-cp', options.classpath, `org.apache.kafka.tools.${tool}`, ...args];
    const child = await startProcess(
      { name: `kafka-${tool}`, command: options.java ?? 'java', args: command, logPath: outputPath, cwd: dir },
      'session',
    );
    const sampler = new ResourceSampler();
    sampler.watch(tool, child.pid);
    sampler.start(200);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMillis)));
    const exit = await Promise.race([child.exited, timedOut]);
    clearTimeout(timer);
    // Ends the watchdog's pipe too, so its helper does not outlive the tool.
    await child.stop(5_000);
    const wallMillis = now() - started;
    const usage = (await sampler.stop()).get(tool);
    const cpuAfter = await childrenCpuSeconds();
    const output = await readFile(outputPath, 'utf8').catch(() => '');
    if (exit === 'timeout') throw toolError(tool, `did not finish within ${Math.round(timeoutMillis / 1000)} s`, output);
    if (exit !== '0') throw toolError(tool, `exited with ${exit}`, output);
    return {
      tool,
      args,
      latency: parse(output),
      ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: Math.round((cpuAfter - cpuBefore) * 100) / 100 } : {}),
      ...(usage ? { peakRssBytes: usage.peakRssBytes } : {}),
      wallMillis,
      output,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU (user + system) of this process's children that have ended and been waited for, which
 * includes the tool's JVM once its watchdog shell has reaped it: the child's rusage, taken whole,
 * where sampling /proc/PID would miss the JVM's last moments. A child of ours that ends during
 * the run would count too, so rows are run one at a time.
 */
async function childrenCpuSeconds(): Promise<number | undefined> {
  const stat = await readFile('/proc/self/stat', 'utf8').catch(() => undefined);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5) (cutime, cstime), in clock ticks of 1/100 s; field 3 is index 0.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function toolError(tool: KafkaToolName, what: string, output: string): TierlabError {
  const lines = output.trim().split('\n');
  const tail = lines.slice(-8);
  // A usage error prints its reason first and the whole usage table after it.
  const reason = lines.find((line) => /exception|error|invalid|failed/i.test(line));
  const shown = reason && !tail.includes(reason) ? [reason, '...', ...tail] : tail;
  return new TierlabError('TIER_FAILED', `Kafka's ${tool} ${what}; its output ends:\n${shown.join('\n') || '(no output)'}`, {
    details: { tool },
  });
}
