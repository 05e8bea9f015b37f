import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sparkModule } from '../../pipelines/microbatch/spark/module.ts';
import { runCommand } from '../../src/services/native/commands.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { ensureJvmEngine } from '../../src/tiers/jvm/build.ts';
import { freePort } from './free-port.ts';

/**
 * What a Spark distribution does not have, and the engine ships to the executors itself
 * (SparkMaster.java: ours, the Kafka source, S3A and the AWS SDK, 2.35.4): left out of the
 * cluster's jars, so the test runs what a real cluster would.
 */
const shippedByTheEngine = /^(tierlab-engine-|spark-sql-kafka-|spark-token-provider-kafka-|kafka-clients-|commons-pool2-|hadoop-aws-|analyticsaccelerator-|eventstream-)|-2\.35\.4\.jar$/;

export interface SparkCluster {
  masterUrl: string;
  stop(): Promise<void>;
}

/**
 * A standalone Spark cluster, a master and one worker (2 cores, 2 GiB), each a JVM started from
 * Spark 4.2.0's Maven Central jars (the Spark engine's build, less what the engine ships), on
 * free ports of 127.0.0.1: what `start-master.sh` and `start-worker.sh` of a distribution start.
 * The worker launches executors from SPARK_HOME/jars, so the test lays out a SPARK_HOME.
 */
export async function startSparkCluster(): Promise<SparkCluster> {
  const { classpath } = await ensureJvmEngine(sparkModule, serviceSettingsFrom(process.env).engineCacheDir, runCommand);
  const lib = dirname(classpath);
  const home = await mkdtemp(join(tmpdir(), 'tierlab-spark-cluster-'));
  await mkdir(join(home, 'jars'));
  for (const name of await readdir(lib)) {
    if (name.endsWith('.jar') && !shippedByTheEngine.test(name)) await symlink(join(lib, name), join(home, 'jars', name));
  }
  // A distribution's marker: the launcher then takes SPARK_HOME/jars as the executors' class path.
  await writeFile(join(home, 'RELEASE'), 'Spark 4.2.0 (tierlab test cluster)\n');
  const env = { ...process.env, SPARK_HOME: home, SPARK_SCALA_VERSION: '2.13' };
  const java = ['-Xmx512m', ...(sparkModule.jvmArgs ?? []), '-cp', join(home, 'jars', '*')];
  const [port, masterUi, workerUi] = [await freePort(), await freePort(), await freePort()];
  const masterUrl = `spark://127.0.0.1:${port}`;
  const processes: ChildProcess[] = [];
  const stop = async () => {
    for (const child of processes.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(20_000).then(() => child.kill('SIGKILL'))]);
    }
    await rm(home, { recursive: true, force: true });
  };
  try {
    processes.push(spawn('java', [...java, 'org.apache.spark.deploy.master.Master', '--host', '127.0.0.1', '--port', String(port), '--webui-port', String(masterUi)], { env, cwd: home, stdio: 'ignore' }));
    processes.push(
      spawn('java', [...java, 'org.apache.spark.deploy.worker.Worker', '--host', '127.0.0.1', '--cores', '2', '--memory', '2g', '--webui-port', String(workerUi), masterUrl], { env, cwd: home, stdio: 'ignore' }),
    );
    await untilWorkers(`http://127.0.0.1:${masterUi}/json/`, 1, 120_000);
    return { masterUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until the master's status page lists this many live workers. */
async function untilWorkers(statusUrl: string, workers: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const status = (await (await fetch(statusUrl)).json()) as { aliveworkers?: number };
      if ((status.aliveworkers ?? 0) >= workers) return;
      last = JSON.stringify(status).slice(0, 300);
    } catch (error) {
      last = String(error);
    }
    await sleep(500);
  }
  throw new Error(`the Spark master at ${statusUrl} had no ${workers} live worker(s) within ${timeoutMs / 1000} s: ${last}`);
}
