import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../../src/services/native/commands.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { ensureJvmEngine } from '../../src/tiers/jvm/build.ts';
import { flinkModule } from '../../pipelines/streaming/flink/module.ts';
import { freePort } from './free-port.ts';

/** What a Flink distribution does not have, and the job ships itself (ClusterSubmit.java): left off the cluster's class path. */
const shippedByTheJob = /^(tierlab-engine-|flink-connector-kafka-|kafka-clients-|jackson-(core|databind|annotations)-)/;

export interface FlinkCluster {
  restUrl: string;
  stop(): Promise<void>;
}

/**
 * A standalone Flink session cluster, JobManager and one TaskManager (two slots), each a JVM
 * started from Flink's own Maven Central jars (the Flink engine's build, less what a job brings
 * itself), on free ports of 127.0.0.1: what `start-cluster.sh` of a Flink distribution starts.
 */
export async function startFlinkCluster(): Promise<FlinkCluster> {
  const lib = dirname((await ensureJvmEngine(flinkModule, serviceSettingsFrom(process.env).engineCacheDir, runCommand)).classpath);
  const jars = (await readdir(lib)).filter((name) => name.endsWith('.jar') && !shippedByTheJob.test(name));
  const classpath = jars.map((name) => join(lib, name)).join(':');
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-flink-cluster-'));
  const [rpcPort, restPort] = [await freePort(), await freePort()];
  await writeFile(
    join(dir, 'config.yaml'),
    [
      'jobmanager:',
      '  bind-host: 127.0.0.1',
      `  rpc: { address: 127.0.0.1, port: ${rpcPort} }`,
      '  memory: { process: { size: 1024m } }',
      'taskmanager:',
      '  bind-host: 127.0.0.1',
      '  host: 127.0.0.1',
      '  numberOfTaskSlots: 2',
      '  memory: { process: { size: 1536m } }',
      `rest: { address: 127.0.0.1, bind-address: 127.0.0.1, port: ${restPort} }`,
      '',
    ].join('\n'),
  );
  const processes: ChildProcess[] = [];
  const stop = async () => {
    for (const child of processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await Promise.race([once(child, 'exit'), sleep(20_000).then(() => child.kill('SIGKILL'))]);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    processes.push(spawn('java', ['-Xmx768m', '-cp', classpath, 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint', '--configDir', dir], { stdio: 'ignore' }));
    // The TaskManager's memory, as taskmanager.sh asks Flink to work it out from the configuration.
    const { stdout } = await runCommand('java', ['-cp', classpath, 'org.apache.flink.runtime.util.bash.BashJavaUtils', 'GET_TM_RESOURCE_PARAMS', '--configDir', dir]);
    const [jvmArgs, dynamicConfig] = stdout
      .split('\n')
      .filter((line) => line.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
      .map((line) => line.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim().split(/\s+/));
    if (!jvmArgs || !dynamicConfig) throw new Error(`Flink did not work out the TaskManager's memory: ${stdout.slice(-500)}`);
    processes.push(spawn('java', [...jvmArgs, '-cp', classpath, 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner', '--configDir', dir, ...dynamicConfig], { stdio: 'ignore' }));
    const restUrl = `http://127.0.0.1:${restPort}`;
    await untilSlots(restUrl, 2, 120_000);
    return { restUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Until the cluster's REST endpoint answers with this many task slots registered. */
async function untilSlots(restUrl: string, slots: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const overview = (await (await fetch(`${restUrl}/overview`)).json()) as { 'slots-total'?: number };
      if ((overview['slots-total'] ?? 0) >= slots) return;
      last = JSON.stringify(overview);
    } catch (error) {
      last = String(error);
    }
    await sleep(500);
  }
  throw new Error(`the Flink cluster at ${restUrl} did not offer ${slots} slots within ${timeoutMs / 1000} s: ${last}`);
}
