import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { recommend } from '../../src/report/recommend.ts';
import type { RunSummary } from '../../src/report/summary.ts';

const { kafka, s3 } = inject('services');
const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const out = await mkdtemp(join(tmpdir(), 'tierlab-it-results-'));
afterAll(() => rm(out, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      // The services this test run already has, as external ones: the CLI finds them as a user's own would be.
      env: {
        ...process.env,
        KAFKA_BROKERS: kafka.brokers.join(','),
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tierlab run (the main job), end to end', () => {
  it('runs the demo quickly with each tier in its own process and writes the three outputs', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'demo', '--quick', '--out', out]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const [runId] = await readdir(out);
    const dir = join(out, runId!);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.schemaVersion).toBe(1);
    expect(summary.runId).toBe(runId);
    expect(summary.environment.servicesMode).toBe('external');
    expect(summary.environment.batchReadPath).toMatch(/^(httpfs|staged)$/);
    for (const name of ['batch', 'microbatch', 'streaming'] as const) {
      const tier = summary.tiers[name]!;
      expect(tier.state, `${name}: ${tier.error}`).toBe('ok');
      expect(tier.correct, name).toBe(true);
      expect(tier.deadLetters.reconciles, name).toBe(true);
      // Each tier ran in a process of its own, so its CPU was measured there.
      expect(tier.resources.cpuSeconds, name).toBeGreaterThan(0);
      expect(tier.cost.usdPerYear, name).toBeGreaterThan(0);
      expect(tier.distribution.length, name).toBeGreaterThan(5);
    }
    expect(summary.tiers.batch!.projectedLatency!.p50Micros).toBeGreaterThan(summary.tiers.batch!.latency.p50Micros);
    expect(summary.recommendation.tier).not.toBeNull();
    for (const file of ['report.html', 'report.md']) expect((await stat(join(dir, file))).size, file).toBeGreaterThan(1000);
    expect(stdout).toContain('recommendation:');

    // The recommendation is computed from these measured numbers: change the SLA, change the answer.
    const day = 86_400_000_000;
    expect(recommend(summary.tiers, day).tier).toBe('batch');
    expect(recommend(summary.tiers, 5 * 60_000_000).tier).toBe('microbatch');
    expect(recommend(summary.tiers, 500_000).tier).toBe('streaming');
  }, 240_000);

  it('rejects a scenario file with a bad field, naming it', async () => {
    const bad = join(out, 'bad.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(bad, (await readFile(new URL('../../bench/scenarios/demo.yaml', import.meta.url), 'utf8')).replace('sla: 1m', 'sla: soon'));
    const { code, stderr } = await runCli(['run', bad]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('/sla must match pattern');
    expect(stderr).toContain('(got "soon")');
  });
});
