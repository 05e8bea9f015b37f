import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummary } from '../../src/results/read-summary.ts';
import { runCli } from './cli.ts';
import { startFlinkCluster, type FlinkCluster } from './flink-cluster.ts';
import { startSparkCluster, type SparkCluster } from './spark-cluster.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-engines-'));
afterAll(() => rm(out, { recursive: true, force: true }));
const scenario = new URL('./fixtures/jvm-engine.yaml', import.meta.url).pathname;

/** The fixture's micro-batch trigger and batch period (fixtures/jvm-engine.yaml). */
const triggerMs = 3_000;
const batchPeriodMs = 4_000;

interface EngineRow {
  tier: 'batch' | 'streaming' | 'microbatch';
  engine: string;
  version: RegExp;
  /**
   * Structural, not a speed: an engine that holds events for a trigger has a p99 above this (µs).
   * Half a trigger: about half of all events arrive in a trigger's first half and wait longer than
   * that, so the p99 is past it whatever the machine. (The p50 sits at half a trigger itself, so a
   * bound on it is a coin toss: it failed a clean CI at 1.45 s against 1.5 s.)
   */
  minP99Micros?: number;
  /** Reads the lake (S3) rather than Kafka: its S3 requests are counted, and how it read is recorded. */
  readPath?: string;
}

/*
 * Issue 20: the engines buyers deploy, run from their Maven Central jars (engines/jvm, built by
 * tierlab with Maven), on the real Kafka and measured exactly like the Node tiers: correct against
 * the ground truth, dead letters reconciled, every event seen once, CPU and memory from /proc.
 */
describe.each<EngineRow>([
  { tier: 'streaming', engine: 'kafka-streams', version: /^Kafka Streams 4\.3\.\d+ on Java \d+/ },
  { tier: 'streaming', engine: 'flink', version: /^Flink 2\.2\.\d+ on Java \d+/ },
  { tier: 'microbatch', engine: 'flink', version: /^Flink 2\.2\.\d+ on Java \d+/, minP99Micros: (triggerMs / 2) * 1000 },
  { tier: 'microbatch', engine: 'spark', version: /^Spark 4\.\d+\.\d+ on Java \d+/, minP99Micros: (triggerMs / 2) * 1000 },
  // The job over the lake: its p99 is past the fixture's job period, 4 s (an event waits for the next run).
  { tier: 'batch', engine: 'spark', version: /^Spark 4\.\d+\.\d+ on Java \d+/, minP99Micros: (batchPeriodMs / 2) * 1000, readPath: 's3a' },
])('the $tier tier on $engine (real Kafka and S3)', ({ tier, engine, version, minP99Micros, readPath }) => {
  it('is correct, reconciles its dead letters, sees every event once, and records its engine and start-up', async () => {
    const runOut = join(out, `${tier}-${engine}`);
    // No warm-up: nothing asserted here is a speed.
    const { code, stdout, stderr } = await runCli(['tier', tier, '--scenario', scenario, '--engine', `${tier}=${engine}`, '--no-warmup', '--out', runOut]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(runOut);
    const summary = await readSummary(join(runOut, runId!));
    const measured = summary.tiers[tier]!;
    expect(measured.state, measured.error).toBe('ok');
    expect(measured.correct).toBe(true);
    expect(measured.unseen).toBe(0);
    expect(measured.appliedTwice).toBe(0);
    expect(measured.deadLetters.rejected).toBeGreaterThan(0);
    expect(measured.deadLetters.reconciles).toBe(true);
    expect(measured.engine?.name).toBe(engine);
    expect(measured.engine?.version).toMatch(version);
    expect(measured.engine?.startupMs).toBeGreaterThan(0);
    // Its JVM is in the worker's process tree, so its work is measured as the tier's.
    expect(measured.resources.cpuSeconds).toBeGreaterThan(0);
    expect(measured.resources.peakRssBytes).toBeGreaterThan(0);
    expect(measured.usage.kafkaBytesWritten).toBeGreaterThan(0);
    expect(measured.latency.count).toBeGreaterThan(0);
    if (minP99Micros !== undefined) expect(measured.latency.p99Micros).toBeGreaterThan(minP99Micros);
    if (readPath) {
      expect(summary.environment.batchReadPath).toBe(readPath);
      // The engine's own S3 requests (LIST the raw zone, GET its objects, PUT the curated) beside the lake sink's PUTs.
      expect(measured.usage.s3Requests.list).toBeGreaterThan(0);
      expect(measured.usage.s3Requests.get).toBeGreaterThan(0);
      expect(measured.usage.s3Requests.put).toBeGreaterThan(0);
    }
  });
});

/*
 * External clusters, like KAFKA_BROKERS for Kafka: with FLINK_REST_URL the Flink engine submits
 * its job to an existing cluster (here a standalone one from Flink's own jars, started by the
 * test) and its tasks report through a relay topic; the answer and its measurement are unchanged.
 */
describe('the streaming tier on flink, submitted to a Flink cluster (FLINK_REST_URL)', () => {
  let cluster: FlinkCluster | undefined;
  afterAll(() => cluster?.stop());

  it('runs its job there, is correct, reconciles its dead letters, and records the cluster', async () => {
    cluster = await startFlinkCluster();
    const runOut = join(out, 'streaming-flink-cluster');
    const { code, stdout, stderr } = await runCli(['tier', 'streaming', '--scenario', scenario, '--engine', 'streaming=flink', '--no-warmup', '--out', runOut], {
      env: { FLINK_REST_URL: cluster.restUrl },
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(runOut);
    const measured = (await readSummary(join(runOut, runId!))).tiers.streaming!;
    expect(measured.state, measured.error).toBe('ok');
    expect(measured.correct).toBe(true);
    expect(measured.unseen).toBe(0);
    expect(measured.deadLetters.rejected).toBeGreaterThan(0);
    expect(measured.deadLetters.reconciles).toBe(true);
    expect(measured.engine).toMatchObject({ name: 'flink', cluster: cluster.restUrl });
    expect(measured.latency.count).toBeGreaterThan(0);
    // The job ran on the cluster, and finished there when the tier drained.
    const overview = (await (await fetch(`${cluster.restUrl}/overview`)).json()) as { 'jobs-finished': number };
    expect(overview['jobs-finished']).toBe(1);
  });
});

/* SPARK_MASTER, likewise: the Spark engine's driver stays in its process, its executors run on the cluster. */
describe('the microbatch tier on spark, its executors on a Spark cluster (SPARK_MASTER)', () => {
  let cluster: SparkCluster | undefined;
  afterAll(() => cluster?.stop());

  it('runs its tasks there, is correct, reconciles its dead letters, and records the cluster', async () => {
    cluster = await startSparkCluster();
    const runOut = join(out, 'microbatch-spark-cluster');
    const { code, stdout, stderr } = await runCli(['tier', 'microbatch', '--scenario', scenario, '--engine', 'microbatch=spark', '--no-warmup', '--out', runOut], {
      env: { SPARK_MASTER: cluster.masterUrl },
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(runOut);
    const measured = (await readSummary(join(runOut, runId!))).tiers.microbatch!;
    expect(measured.state, measured.error).toBe('ok');
    expect(measured.correct).toBe(true);
    expect(measured.unseen).toBe(0);
    expect(measured.deadLetters.reconciles).toBe(true);
    expect(measured.engine).toMatchObject({ name: 'spark', cluster: cluster.masterUrl });
    expect(measured.latency.p99Micros).toBeGreaterThan((triggerMs / 2) * 1000);
  });
});
