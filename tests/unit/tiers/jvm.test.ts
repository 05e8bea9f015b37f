import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRunner } from '../../../src/services/native/commands.ts';
import { builtEngineDir, ensureJvmEngine, type JvmModule } from '../../../src/tiers/jvm/build.ts';
import { visibilityBatches } from '../../../src/tiers/jvm/jvm-tier.ts';
import { LineSplitter, parseEngineLine } from '../../../src/tiers/jvm/protocol.ts';

const module: JvmModule = { folder: 'kafka-streams', mainClass: 'tierlab.engine.kstreams.Main' };
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('what a JVM engine says on stdout', () => {
  it('splits chunks into whole lines, keeping a partial line for the next chunk', () => {
    const lines = new LineSplitter();
    expect(lines.push('{"type":"rea')).toEqual([]);
    expect(lines.push('dy","version":"x","startupMs":5}\n{"type":"stopped"}\n{"ty')).toEqual(['{"type":"ready","version":"x","startupMs":5}', '{"type":"stopped"}']);
    expect(lines.push('pe":"stopped"}\n')).toEqual(['{"type":"stopped"}']);
  });

  it('refuses a line that is not one of its own, quoting it', () => {
    expect(() => parseEngineLine('SLF4J: no providers')).toThrow('a JVM engine wrote a line that is not JSON: "SLF4J: no providers"');
    expect(() => parseEngineLine('{"type":"hello"}')).toThrow('a JVM engine wrote an unknown line: "{\\"type\\":\\"hello\\"}"');
    expect(parseEngineLine('{"type":"error","message":"boom"}')).toEqual({ type: 'error', message: 'boom' });
  });

  it('hands the harness one visibility batch per write, with each event\'s own times', () => {
    const batches = visibilityBatches('streaming', [
      [1, 100, 110, 120, 120, 130, 140],
      [2, 101, 111, 121, 121, 130, 140],
      [3, 102, 112, 122, 122, 131, 150],
    ]);
    // Rows 1 and 2 differ in read and processing start: a per-event engine processes each apart.
    expect(batches).toEqual([
      { tier: 'streaming', processingStartMicros: 120, writeStartMicros: 130, visibleMicros: 140, events: [{ seq: 1, eventTimeMicros: 100, sentMicros: 110, readMicros: 120 }] },
      { tier: 'streaming', processingStartMicros: 121, writeStartMicros: 130, visibleMicros: 140, events: [{ seq: 2, eventTimeMicros: 101, sentMicros: 111, readMicros: 121 }] },
      { tier: 'streaming', processingStartMicros: 122, writeStartMicros: 131, visibleMicros: 150, events: [{ seq: 3, eventTimeMicros: 102, sentMicros: 112, readMicros: 122 }] },
    ]);
    const together = visibilityBatches('microbatch', [
      [1, 100, 110, 120, 200, 210, 220],
      [2, 101, 111, 121, 200, 210, 220],
    ]);
    expect(together).toHaveLength(1);
    expect(together[0]!.events.map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('building a JVM engine into the cache', () => {
  async function cache(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-engines-'));
    dirs.push(dir);
    return dir;
  }

  it('builds with Maven once per version of the sources, then takes the cached build', async () => {
    const cacheDir = await cache();
    const calls: string[][] = [];
    const run: CommandRunner = async (command, args) => {
      calls.push([command, ...args]);
      // What Maven leaves: the dependencies in lib/ and the module's jar in its build folder.
      const lib = args.find((a) => a.startsWith('-DoutputDirectory='))!.split('=')[1]!;
      const build = args.find((a) => a.startsWith('-Dtierlab.buildDir='))!.split('=')[1]!;
      await mkdir(lib, { recursive: true });
      await writeFile(join(lib, 'kafka-streams-4.3.1.jar'), '');
      await mkdir(join(build, 'tierlab-engine-kafka-streams'), { recursive: true });
      await writeFile(join(build, 'tierlab-engine-kafka-streams', 'tierlab-engine-kafka-streams-1.jar'), '');
      return { code: 0, stdout: '', stderr: '' };
    };
    // A build of older sources, and another engine's: the first goes, the second stays.
    await mkdir(join(cacheDir, 'kafka-streams-0123456789ab', 'lib'), { recursive: true });
    await mkdir(join(cacheDir, 'flink-0123456789ab', 'lib'), { recursive: true });
    const first = await ensureJvmEngine(module, cacheDir, run);
    const home = await builtEngineDir(module, cacheDir);
    expect(first).toEqual({ classpath: join(home, 'lib', '*'), built: true });
    expect(calls).toHaveLength(1);
    // A jar whose checksum does not match Maven Central's fails the build (issue 19, item 7).
    expect(calls[0]!.slice(0, 7)).toEqual(['mvn', '-B', '-q', '--strict-checksums', '-pl', 'kafka-streams', '-am']);
    expect((await readdir(join(home, 'lib'))).sort()).toEqual(['kafka-streams-4.3.1.jar', 'tierlab-engine-kafka-streams-1.jar']);
    // Nothing of the build is left beside it, and the older build of the same engine is gone.
    expect((await readdir(cacheDir)).sort()).toEqual(['flink-0123456789ab', home.split('/').at(-1)].sort());
    expect(await ensureJvmEngine(module, cacheDir, run)).toEqual({ classpath: join(home, 'lib', '*'), built: false });
    expect(calls).toHaveLength(1);
  });

  it('says which engine did not build and why, and leaves no half build to be taken for a whole one', async () => {
    const cacheDir = await cache();
    const run: CommandRunner = async () => ({ code: 1, stdout: '[ERROR] Main.java:[12,8] cannot find symbol', stderr: '' });
    await expect(ensureJvmEngine(module, cacheDir, run)).rejects.toMatchObject({
      code: 'ENGINE_BUILD_FAILED',
      message: 'the kafka-streams engine did not build: [ERROR] Main.java:[12,8] cannot find symbol',
    });
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
