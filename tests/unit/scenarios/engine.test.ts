import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenarios/scenario.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const demo = await readFile(new URL('../../../bench/scenarios/demo.yaml', import.meta.url), 'utf8');
const microbatchLine = 'microbatch: { triggerMs: 5000, allowedLatenessMs: 60000 }';

/** demo.yaml with its micro-batch line replaced, written under `name`. */
async function withMicrobatch(name: string, microbatch: string): Promise<string> {
  expect(demo).toContain(microbatchLine);
  const path = join(dir, `${name}.yaml`);
  await writeFile(path, demo.replace(microbatchLine, `microbatch: ${microbatch}`));
  return path;
}

describe('a scenario\'s micro-batch engine', () => {
  it('is node unless the file or --engine says, and the architecture priced follows it', async () => {
    const plain = await loadScenario('demo');
    expect(plain.microbatch.engine).toBe('node');
    expect(plain.architectures.microbatch).toBe('microbatch-kafka');
    const flagged = await loadScenario('demo', { engines: { microbatch: 'lake' } });
    expect(flagged.microbatch.engine).toBe('lake');
    expect(flagged.architectures.microbatch).toBe('microbatch-lake');
    // The other tiers are left as they were.
    expect(flagged.architectures.batch).toBe(plain.architectures.batch);
    expect(flagged.architectures.streaming).toBe(plain.architectures.streaming);
  });

  it('takes engine, bufferMs and bufferRecords from the file, and --engine over the file', async () => {
    const path = await withMicrobatch('lake', '{ triggerMs: 5000, engine: lake, bufferMs: 60000, bufferRecords: 1000 }');
    const lake = await loadScenario(path);
    expect(lake.microbatch).toMatchObject({ engine: 'lake', triggerMs: 5_000, bufferMs: 60_000, bufferRecords: 1_000 });
    expect(lake.architectures.microbatch).toBe('microbatch-lake');
    const node = await loadScenario(path, { engines: { microbatch: 'node' } });
    expect(node.microbatch.engine).toBe('node');
    expect(node.architectures.microbatch).toBe('microbatch-kafka');
  });

  it('a file naming the architecture keeps it', async () => {
    const path = join(dir, 'named.yaml');
    await writeFile(path, `${demo}\narchitectures: { microbatch: microbatch-kafka }\n`);
    expect((await loadScenario(path, { engines: { microbatch: 'lake' } })).architectures.microbatch).toBe('microbatch-kafka');
  });

  it('an engine the tier does not have is named with those it has', async () => {
    const path = await withMicrobatch('storm', '{ triggerMs: 5000, engine: storm }');
    await expect(loadScenario(path)).rejects.toThrow(`${path}: microbatch has no engine "storm"; its engines: node, lake, flink, spark`);
    await expect(loadScenario('demo', { engines: { microbatch: 'samza' } })).rejects.toThrow('microbatch has no engine "samza"; its engines: node, lake, flink, spark');
  });

  it('a buffer out of range is named with its value', async () => {
    const path = await withMicrobatch('buffer', '{ triggerMs: 5000, engine: lake, bufferMs: 0 }');
    await expect(loadScenario(path)).rejects.toThrow('/microbatch/bufferMs must be >= 1 (got 0)');
  });
});
