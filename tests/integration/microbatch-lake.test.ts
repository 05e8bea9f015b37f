import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummary } from '../../src/results/read-summary.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-mb-lake-'));
afterAll(() => rm(out, { recursive: true, force: true }));
const scenario = new URL('./fixtures/microbatch-lake.yaml', import.meta.url).pathname;
const triggerMs = 3_000;

/*
 * Issue 24, item 4: micro-batch as the seed means it, buffered delivery into the lake plus a small
 * query every trigger, run against the real Kafka and S3 and measured like every tier.
 */
describe('micro-batch on the lake engine (real Kafka and S3)', () => {
  it('is correct, reconciles its dead letters, records its engine, and is priced on what it measured', async () => {
    // No warm-up: nothing asserted here is a speed.
    const { code, stdout, stderr } = await runCli(['tier', 'microbatch', '--scenario', scenario, '--engine', 'microbatch=lake', '--no-warmup', '--out', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(out);
    const summary = await readSummary(join(out, runId!));
    const tier = summary.tiers.microbatch!;
    expect(tier.state, tier.error).toBe('ok');
    expect(tier.correct).toBe(true);
    expect(tier.deadLetters.reconciles).toBe(true);
    expect(tier.engine?.name).toBe('lake');
    expect(tier.engine?.version).toMatch(/^DuckDB v\d+\.\d+/);
    // Its own requests: objects delivered and the curated windows written (PUT), each query's LIST, the objects read (GET).
    expect(tier.usage.s3Requests.put).toBeGreaterThan(0);
    expect(tier.usage.s3Requests.list).toBeGreaterThan(0);
    // Staged reads GET each object through the S3 client, counted; DuckDB's httpfs (where it loads) reads them itself, uncounted.
    if (summary.environment.batchReadPath === 'staged') expect(tier.usage.s3Requests.get).toBeGreaterThan(0);
    expect(tier.usage.jobRuns).toBeGreaterThan(0);
    expect(tier.resources.cpuSeconds).toBeGreaterThan(0);
    expect(tier.cost.architecture).toBe('microbatch-lake');
    // Priced on its own measurement: the requests per trigger are measured, not the file's counts.
    expect(tier.cost.lines.find((line) => line.name === 'S3 requests')?.basis).toBe('measured');
    // No projection: its schedule is its real one.
    expect(tier.projectedLatency).toBeUndefined();
    // Structural, not a speed: an event waits for its buffer to be delivered and then for the next query.
    expect(tier.latency.count).toBeGreaterThan(0);
    expect(tier.latency.p50Micros).toBeGreaterThan((triggerMs / 2) * 1000);
    expect(stdout).toContain('microbatch-lake');
  });
});
