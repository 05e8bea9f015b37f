import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapacity } from '../../src/capacity/file.ts';
import { readSummary } from '../../src/results/read-summary.ts';
import { recommend, slaP99Micros } from '../../src/results/recommend.ts';
import { loadScenario } from '../../src/scenarios/scenario.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-results-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/** The one result folder a command wrote under `dir`. */
async function onlyRun(dir: string): Promise<string> {
  const entries = await readdir(dir);
  expect(entries).toHaveLength(1);
  return join(dir, entries[0]!);
}

const together = new URL('./fixtures/together-repeat.yaml', import.meta.url).pathname;

describe('tierlab run (the main job), end to end', () => {
  const isolatedOut = join(out, 'isolated');
  const togetherOut = join(out, 'together');

  it('warms the services, runs each tier alone on the same stream, and writes the three outputs', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'demo', '--quick', '--out', isolatedOut]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const dir = await onlyRun(isolatedOut);
    // Read through the schema: a field missing or mistyped fails here, naming it.
    const summary = await readSummary(dir);
    expect(summary.environment.servicesMode).toBe('external');
    expect(summary.environment.execution).toBe('isolated');
    expect(summary.environment.services.warmup).toMatchObject({ done: true });
    expect(summary.environment.services.warmup.records).toBeGreaterThan(0);
    expect(summary.repeats).toHaveLength(1);
    expect(stderr).toContain('pass 3/3: streaming');
    for (const name of ['batch', 'microbatch', 'streaming'] as const) {
      const tier = summary.tiers[name]!;
      expect(tier.state, `${name}: ${tier.error}`).toBe('ok');
      expect(tier.correct, name).toBe(true);
      expect(tier.deadLetters.reconciles, name).toBe(true);
      // Each tier ran in a process of its own, so its CPU was measured there.
      expect(tier.resources.cpuSeconds, name).toBeGreaterThan(0);
      expect(tier.cost.usdPerYear, name).toBeGreaterThan(0);
      expect(tier.latency.histogram.length, name).toBeGreaterThan(20);
      expect(tier.latency.negativeCount, name).toBe(0);
      // Measured, not echoed: visible events over the time they took, so below the offered rate by the tier's wait.
      expect(tier.achievedPerSec, name).toBeGreaterThan(0);
      expect(tier.achievedPerSec, name).toBeLessThan(summary.events.ratePerSec * 1.05);
    }
    expect(summary.tiers.batch!.projectedLatency!.p50Micros).toBeGreaterThan(summary.tiers.batch!.latency.p50Micros);
    // Issue #10: each tier's bill says what it priced and the basis of every line.
    for (const name of ['batch', 'microbatch', 'streaming'] as const) {
      const { cost } = summary.tiers[name]!;
      expect(cost.architecture, name).toBe({ batch: 'batch-managed-delivery', microbatch: 'microbatch-kafka', streaming: 'streaming-at-least-once' }[name]);
      expect(cost.lines.reduce((sum, line) => sum + line.usdPerYear, 0), name).toBeCloseTo(cost.usdPerYear, 6);
      const measured = cost.lines.filter((line) => line.basis === 'measured').reduce((sum, line) => sum + line.usdPerYear, 0);
      expect(cost.measuredShare, name).toBeCloseTo(measured / cost.usdPerYear, 9);
    }
    // The 3-broker minimum is a constant, not a measurement.
    expect(summary.tiers.streaming!.cost.lines.find((line) => line.name === 'Kafka brokers')!.basis).toBe('assumed');
    expect(summary.cost.sensitivity.length).toBeGreaterThan(10);
    expect(summary.cost.variants.map((v) => v.architecture)).toEqual(expect.arrayContaining(['batch-lake-sink', 'microbatch-lake']));
    expect(['reproduced', 'refuted', 'not reached']).toContain(summary.cost.warStory.verdict);
    const markdown = await readFile(join(dir, 'report.md'), 'utf8');
    for (const section of ['## What the cost is built from', '### Sensitivity: each assumption at half and at double', "The seed's war story"]) {
      expect(markdown).toContain(section);
    }
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('Sensitivity of the cost ratio to each assumption');
    // What the demo teaches (its `expect:`), pinned: a change that moves it fails here.
    expect(summary.recommendation.tier, summary.recommendation.why).toBe((await loadScenario('demo', { quick: true })).expect);
    for (const file of ['report.html', 'report.md']) expect((await stat(join(dir, file))).size, file).toBeGreaterThan(1000);
    expect(stdout).toContain('recommendation:');

    // The recommendation is computed from these measured numbers: move the SLA across what this
    // run measured, and the answer moves with it. The SLAs are taken from the run itself, never a
    // fixed latency, so a busy machine changes the figures but not what is checked.
    const fastest = (['batch', 'microbatch', 'streaming'] as const)
      .map((name) => ({ name, p99Micros: slaP99Micros(summary.tiers[name]!) }))
      .sort((a, b) => a.p99Micros - b.p99Micros);
    // Just below the fastest tier's p99, no tier meets the SLA; at it, that tier alone does.
    expect(recommend(summary.tiers, fastest[0]!.p99Micros - 1).tier).toBeNull();
    if (fastest[0]!.p99Micros < fastest[1]!.p99Micros) {
      expect(recommend(summary.tiers, fastest[0]!.p99Micros).tier).toBe(fastest[0]!.name);
    }
    // Micro-batch waits for its trigger and batch for its schedule, whatever the machine's speed:
    // the demo teaches streaming < micro-batch < batch in latency.
    expect(fastest.map((tier) => tier.name)).toEqual(['streaming', 'microbatch', 'batch']);
    // With every tier meeting a generous SLA, the cheapest wins (the demo's batch, priced per run).
    const day = 86_400_000_000;
    expect(recommend(summary.tiers, 2 * day).tier).toBe('batch');
  }, 300_000);

  it('advises from that stored run of the scenario, naming the scenario and the run', async () => {
    const runId = (await readdir(isolatedOut))[0]!;
    const { code, stdout, stderr } = await runCli(['advise', '--scenario', 'demo', '--sla', '2d', '--results', isolatedOut]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('scenario: demo');
    expect(stdout).toContain(`evidence: stored run ${runId} of demo`);
    expect(stdout).toMatch(/choose: batch/);
  }, 60_000);

  it("judges the seed's claims on that stored run, each with a verdict, and names what it did not measure", async () => {
    const runId = (await readdir(isolatedOut))[0]!;
    const { code, stdout, stderr } = await runCli(['claims', '--results', isolatedOut]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const verdictLines = stdout.split('\n').filter((line) => /^(REPRODUCED|REFUTED|NOT MEASURED) /.test(line));
    expect(verdictLines).toHaveLength(7);
    // The demo run measures every tier and prices them: only the other scenarios' claims are left.
    expect(stdout.match(new RegExp(`runs: ${runId}`, 'g'))).toHaveLength(5);
    expect(stdout).toContain('to measure it: tierlab run exec-dashboard --quick');
    expect(stdout).toContain('to measure it: tierlab run ops-dashboard --quick');
  }, 60_000);

  it('runs the tiers side by side, twice, and keeps each repeat', async () => {
    // A short scenario and no warm-up (the first test checks the warm-up): what is checked is that
    // both repeats run side by side and are kept, not their figures.
    const { code, stdout, stderr } = await runCli(['run', together, '--execution', 'together', '--repeat', '2', '--no-warmup', '--out', togetherOut]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const summary = await readSummary(await onlyRun(togetherOut));
    expect(summary.environment.execution).toBe('together');
    expect(summary.repeats).toHaveLength(2);
    for (const repeat of summary.repeats) {
      for (const name of ['batch', 'microbatch', 'streaming'] as const) {
        expect(repeat.tiers[name]!.p99Micros, name).toBeGreaterThan(0);
        expect(repeat.tiers[name]!.p999Micros, name).toBeGreaterThanOrEqual(repeat.tiers[name]!.p99Micros);
      }
    }
    // Both repeats' events are in the merged figures.
    expect(summary.tiers.streaming!.usage.events).toBe(summary.events.valid);
  }, 300_000);

  it('compares two stored runs per tier and percentile, and names the field of a broken one', async () => {
    const a = await onlyRun(isolatedOut);
    const b = await onlyRun(togetherOut);
    const { code, stdout, stderr } = await runCli(['compare', a, b]);
    expect(code, stderr).toBe(0);
    for (const name of ['batch', 'microbatch', 'streaming']) expect(stdout).toContain(name);
    expect(stdout).toMatch(/single run/i);
    expect(stdout).toContain('cannot tell');

    const broken = join(out, 'broken');
    await mkdir(broken);
    const summary = JSON.parse(await readFile(join(a, 'summary.json'), 'utf8'));
    summary.tiers.streaming.latency.p99Micros = 'fast';
    await writeFile(join(broken, 'summary.json'), JSON.stringify(summary));
    const bad = await runCli(['compare', a, broken]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('/tiers/streaming/latency/p99Micros');
  }, 60_000);

  it('steps the streaming tier up in rate and saves the curve', async () => {
    const capacityOut = join(out, 'capacity');
    const args = ['capacity', 'fraud-detection', '--tier', 'streaming', '--quick', '--step-sec', '6', '--max-steps', '2', '--out', capacityOut];
    const { code, stdout, stderr } = await runCli(args);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const result = await readCapacity(join(await onlyRun(capacityOut), 'capacity.json'));
    const streaming = result.tiers.streaming!;
    expect(streaming.steps.length).toBeGreaterThanOrEqual(1);
    expect(streaming.steps[0]!.offeredPerSec).toBe(1500);
    expect(streaming.steps[0]!.achievedPerSec).toBeGreaterThan(0);
    expect(stdout).toContain('highest rate meeting the SLA');
  }, 180_000);

  it('rejects a scenario file with a bad field, naming it', async () => {
    const bad = join(out, 'bad.yaml');
    await writeFile(bad, (await readFile(new URL('../../bench/scenarios/demo.yaml', import.meta.url), 'utf8')).replace('sla: 1m', 'sla: soon'));
    const { code, stderr } = await runCli(['run', bad]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('/sla must match pattern');
    expect(stderr).toContain('(got "soon")');
  });

  it('rejects a bad --execution, naming the value', async () => {
    const { code, stderr } = await runCli(['run', 'demo', '--execution', 'sideways']);
    expect(code).toBe(2);
    expect(stderr).toContain('--execution must be one of isolated, together (got "sideways")');
  });
});
