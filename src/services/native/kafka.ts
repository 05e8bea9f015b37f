import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TierlabError } from '../../errors.ts';
import { kafkaAnswers } from '../../kafka/client.ts';
import { assertPortFree } from '../ports.ts';
import { pinned } from '../versions.ts';
import type { KafkaEndpoint } from '../types.ts';
import type { CommandRunner } from './commands.ts';
import { startServer, type Ownership, type RunningProcess } from './process.ts';

export interface NativeKafkaOptions {
  java: string;
  classpath: string;
  /** Holds server.properties, the log file and the KRaft data. */
  workDir: string;
  host: string;
  port: number;
  controllerPort: number;
  heapMegabytes: number;
  ownership: Ownership;
  run: CommandRunner;
  startTimeoutMillis?: number;
}

export interface NativeServer<E> {
  process: RunningProcess;
  endpoint: E;
  logPath: string;
  /**
   * Starts the server again from its work dir, on the same ports and data, once `process` has
   * stopped (with `keepWorkDir`); resolves when it serves. For the restart faults of issue 11.
   */
  relaunch(): Promise<RunningProcess>;
}

/**
 * The JVM options Kafka's own start script (bin/kafka-run-class.sh) gives a broker, so the native
 * broker runs as the docker image's does; -XX:MaxGCPauseMillis=20 has G1 size its young generation
 * for 20 ms pauses, against its default goal of 200 ms. Kept for that likeness, not for speed: at
 * 10,000 events/s (the streaming tier alone, three runs on a broker just started, 2026-12-06) it made
 * 32 young pauses of 6–21 ms (the first, 39 ms) against G1's defaults' 23, most 7–13 ms (at most
 * 18 ms); the tier's p99 within the machine's spread.
 */
const kafkaJvmPerformanceOptions = [
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
] as const;

/** Formats KRaft storage and starts one combined broker+controller node. */
export async function startNativeKafka(options: NativeKafkaOptions): Promise<NativeServer<KafkaEndpoint>> {
  await assertPortFree(options.port, options.host, `the Kafka broker (${pinned.kafka.image})`);
  await assertPortFree(options.controllerPort, options.host, 'the Kafka KRaft controller');
  const dataDir = join(options.workDir, 'data');
  const propertiesPath = join(options.workDir, 'server.properties');
  const log4jPath = join(options.workDir, 'log4j2.properties');
  const logPath = join(options.workDir, 'kafka.log');
  await mkdir(dataDir, { recursive: true });
  await writeFile(propertiesPath, renderServerProperties(options, dataDir));
  await writeFile(log4jPath, log4jProperties);

  const jvm = [`-Xmx${options.heapMegabytes}m`, `-Xms${options.heapMegabytes}m`, `-Dlog4j2.configurationFile=${log4jPath}`];
  const clusterId = newClusterId();
  const format = await options.run(options.java, [
    ...jvm,
    '-cp',
    options.classpath,
    'kafka.tools.StorageTool',
    'format',
    '--ignore-formatted',
    '-t',
    clusterId,
    '-c',
    propertiesPath,
  ]);
  if (format.code !== 0) {
    throw new TierlabError('SERVICE_START_FAILED', `Kafka storage format failed: ${(format.stderr || format.stdout).trim()}`);
  }
  const endpoint: KafkaEndpoint = { brokers: [`${options.host}:${options.port}`] };
  const launch = () =>
    startServer(
      {
        name: 'kafka',
        command: options.java,
        args: [...jvm, ...kafkaJvmPerformanceOptions, '-cp', options.classpath, 'kafka.Kafka', propertiesPath],
        logPath,
        workDir: options.workDir,
      },
      options.ownership,
      { name: 'Kafka', answers: async () => (await kafkaAnswers(endpoint)).ok, timeoutMillis: options.startTimeoutMillis ?? 90_000 },
    );
  const process = await launch();
  return {
    process,
    endpoint,
    logPath,
    // Storage is formatted once: a restart reads the same log dirs and cluster id.
    async relaunch() {
      await assertPortFree(options.port, options.host, `the Kafka broker (${pinned.kafka.image})`);
      await assertPortFree(options.controllerPort, options.host, 'the Kafka KRaft controller');
      return launch();
    },
  };
}

/**
 * A KRaft cluster id: a random UUID in base64url. One in 64 such strings starts with '-', which
 * the storage tool's argument parser reads as a flag ("--cluster-id: expected one argument"), so,
 * as Kafka's own Uuid.randomUuid does, those are drawn again.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function renderServerProperties(
  options: Pick<NativeKafkaOptions, 'host' | 'port' | 'controllerPort'>,
  dataDir: string,
): string {
  const { host, port, controllerPort } = options;
  return `# Written by tierlab: one KRaft node that is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${host}:${controllerPort}
listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}
advertised.listeners=PLAINTEXT://${host}:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
num.partitions=3
# A single node: every internal topic has one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Groups in a benchmark should start consuming at once, not after the default 3 s.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
`;
}

const log4jProperties = `# Written by tierlab: broker logs go to stdout, which tierlab sends to kafka.log.
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
`;
