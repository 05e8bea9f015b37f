import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaAnswers } from '../../kafka/client.ts';
import { s3Answers } from '../../lake/s3-client.ts';
import { servicesOf } from '../external.ts';
import { assertPortFree } from '../ports.ts';
import { pinned } from '../versions.ts';
import type { KafkaEndpoint, RestartableService, S3Endpoint, ServiceDescription, ServiceHandle, Services, WarehouseEndpoint } from '../types.ts';
import { ensureClasspath, kafkaClasspath, s3proxyClasspath } from './classpaths.ts';
import { runCommand, type CommandRunner } from './commands.ts';
import { detectJava, detectMaven } from './java.ts';
import { startNativeKafka, type NativeServer } from './kafka.ts';
import { startNativeS3 } from './s3proxy.ts';
import type { Ownership } from './process.ts';

export interface NativeOptions {
  cacheDir: string;
  /** Where a daemon keeps its data between commands; session servers use a temp dir. */
  daemonDir: string;
  ownership: Ownership;
  host: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  s3Port: number;
  s3Credentials: { accessKeyId: string; secretAccessKey: string; region: string };
  javaHome?: string;
  run?: CommandRunner;
  onProgress?: (message: string) => void;
  now?: () => number;
}

/** Checks Java and Maven first, so a missing prerequisite is reported before anything starts. */
export async function checkNativePrerequisites(run: CommandRunner, javaHome: string | undefined): Promise<string> {
  const java = await detectJava(run, javaHome);
  await detectMaven(run);
  return java.command;
}

export async function startNativeServices(options: NativeOptions): Promise<Services> {
  const run = options.run ?? runCommand;
  const now = options.now ?? Date.now;
  const progress = options.onProgress ?? (() => undefined);
  const java = await checkNativePrerequisites(run, options.javaHome);
  // Every port is checked before anything starts, so a taken one fails fast and starts nothing.
  await assertPortFree(options.kafkaPort, options.host, 'the Kafka broker');
  await assertPortFree(options.kafkaControllerPort, options.host, 'the Kafka KRaft controller');
  await assertPortFree(options.s3Port, options.host, 'the S3 server (S3Proxy)');

  // Session servers each get a temp dir that their watchdog removes when they exit; a daemon
  // keeps its data under daemonDir until `services down`.
  const session = options.ownership === 'session';
  if (!session) {
    await rm(options.daemonDir, { recursive: true, force: true });
  }
  const kafkaDir = session ? await mkdtemp(join(tmpdir(), 'tierlab-kafka-')) : join(options.daemonDir, 'kafka');
  const s3Dir = session ? await mkdtemp(join(tmpdir(), 'tierlab-s3-')) : join(options.daemonDir, 's3');
  await Promise.all([mkdir(kafkaDir, { recursive: true }), mkdir(s3Dir, { recursive: true })]);

  const fetchStarted = now();
  progress(`resolving server jars in ${options.cacheDir} (Maven fetches them on first use)`);
  const [kafkaJars, s3Jars] = await Promise.all([
    ensureClasspath(kafkaClasspath, options.cacheDir, run, now),
    ensureClasspath(s3proxyClasspath, options.cacheDir, run, now),
  ]);
  const fetched = kafkaJars.downloaded || s3Jars.downloaded;
  progress(
    `${fetched ? 'fetched' : 'cached'} jars: Kafka ${mib(kafkaJars.bytes)}, S3Proxy ${mib(s3Jars.bytes)} in ${now() - fetchStarted} ms`,
  );

  const cleanup = async (): Promise<void> => {
    if (session) await Promise.all([rm(kafkaDir, { recursive: true, force: true }), rm(s3Dir, { recursive: true, force: true })]);
  };
  const startedAt = new Date(now()).toISOString();
  const startTime = now();
  const [kafkaResult, s3Result] = await Promise.allSettled([
    startNativeKafka({
      java,
      classpath: kafkaJars.classpath,
      workDir: kafkaDir,
      host: options.host,
      port: options.kafkaPort,
      controllerPort: options.kafkaControllerPort,
      heapMegabytes: 1024,
      ownership: options.ownership,
      run,
    }),
    startNativeS3({
      java,
      classpath: s3Jars.classpath,
      workDir: s3Dir,
      host: options.host,
      port: options.s3Port,
      heapMegabytes: 512,
      ownership: options.ownership,
      ...options.s3Credentials,
    }),
  ]);
  if (kafkaResult.status === 'rejected' || s3Result.status === 'rejected') {
    // One started and the other did not: stop the one, so a failed start leaves nothing behind.
    if (kafkaResult.status === 'fulfilled') await kafkaResult.value.process.stop(5_000);
    if (s3Result.status === 'fulfilled') await s3Result.value.process.stop(5_000);
    await cleanup();
    throw kafkaResult.status === 'rejected' ? kafkaResult.reason : (s3Result as PromiseRejectedResult).reason;
  }
  const startMillis = now() - startTime;
  progress(`started Kafka ${pinned.kafka.version} and S3Proxy ${pinned.s3proxy.version} in ${startMillis} ms`);
  const kafka = nativeHandle(kafkaResult.value, {
    server: 'Apache Kafka',
    version: pinned.kafka.version,
    endpoint: kafkaResult.value.endpoint.brokers.join(','),
    mode: 'native',
    startedAt,
    startMillis,
    logPath: kafkaResult.value.logPath,
    pid: kafkaResult.value.process.pid,
  }, () => kafkaAnswers(kafkaResult.value.endpoint), options.ownership);
  const s3 = nativeHandle(s3Result.value, {
    server: 'S3Proxy',
    version: pinned.s3proxy.version,
    endpoint: s3Result.value.endpoint.endpoint,
    mode: 'native',
    startedAt,
    startMillis,
    logPath: s3Result.value.logPath,
    pid: s3Result.value.process.pid,
  }, () => s3Answers(s3Result.value.endpoint), options.ownership);
  const services = servicesOf('native', kafka, s3, true);
  const stop = async (): Promise<void> => {
    await services.stop();
    await cleanup();
  };
  return { ...services, stop, [Symbol.asyncDispose]: stop };
}

/** A handle on a server this process started natively; a session's can also be restarted (faults). */
export function nativeHandle<E extends KafkaEndpoint | S3Endpoint | WarehouseEndpoint>(
  server: NativeServer<E>,
  description: ServiceDescription,
  health: ServiceHandle<E>['health'],
  ownership: Ownership,
): ServiceHandle<E> {
  let current = server.process;
  let restarting: Promise<unknown> = Promise.resolve();
  // Waits for a restart under way, so the session's end stops the server that is running then.
  const stop = async () => {
    await restarting.catch(() => undefined);
    await current.stop();
  };
  const handle: ServiceHandle<E> = { endpoint: server.endpoint, description, health, stop, [Symbol.asyncDispose]: stop };
  // A daemon's pid is in the state file that `services down` reads: it is not restarted under it.
  if (ownership !== 'session') return handle;
  const restartable: RestartableService = {
    get pid() {
      return current.pid;
    },
    down() {
      const step = restarting.then(() => current.stop(15_000, { keepWorkDir: true }));
      restarting = step;
      return step;
    },
    up() {
      const step = restarting.then(async () => {
        current = await server.relaunch();
      });
      restarting = step;
      return step;
    },
  };
  return { ...handle, restartable };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
