import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSummary } from '../../src/report/read-summary.ts';
import { runCli } from './cli.ts';

const out = await mkdtemp(join(tmpdir(), 'tierlab-it-faults-'));
afterAll(() => rm(out, { recursive: true, force: true }));

/*
 * Issue 11: a tier's worker SIGKILLed mid-run (nothing flushed, nothing committed) is replaced by
 * a new one, as an orchestrator would; the tier must still end equal to the ground truth, with no
 * event unseen and none counted twice, and the run reports how long it took to recover.
 */
describe.each(['streaming', 'microbatch'] as const)('kill:%s during a run (real Kafka)', (tier) => {
  it('replaces the worker, loses nothing, counts nothing twice, and reports the recovery', async () => {
    const dir = join(out, tier);
    const { code, stdout, stderr } = await runCli(['tier', tier, '--scenario', 'fraud-detection', '--quick', '--fault', `kill:${tier}@12s`, '--out', dir]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const summary = await readSummary(join(dir, (await readdir(dir))[0]!));
    const result = summary.tiers[tier]!;
    expect(result.state, result.error).toBe('ok');
    expect(result.correct).toBe(true);
    expect(result.unseen).toBe(0);
    expect(result.appliedTwice).toBe(0);
    expect(result.deadLetters.reconciles).toBe(true);
    expect(summary.faults).toHaveLength(1);
    expect(summary.faults![0]).toMatchObject({ spec: `kill:${tier}@12s`, tier });
    // Recovery waits for the group to notice the dead member (a 10 s session), then the first write.
    expect(summary.faults![0]!.recoveryMicros).toBeGreaterThan(0);
    expect(summary.faults![0]!.recoveryMicros).toBeLessThan(60_000_000);
    expect(stdout).toContain(`fault kill:${tier}@12s: recovered in`);
  }, 240_000);
});
