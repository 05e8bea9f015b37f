import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { startIcebergEngine, type IcebergCurationOptions } from '../../../src/lakehouse/iceberg/engine.ts';

const options: IcebergCurationOptions = {
  s3: { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b' },
  bucket: 'b',
  rawPrefix: 'raw/',
  warehousePrefix: 'wh',
  deadLetterPrefix: 'dl',
  table: 'ns.t',
};

/** A stand-in for the engine's JVM: answers each command line with what `answer` makes of it. */
function fakeEngine(answer: (command: { id: number; type: string }) => object | string | undefined) {
  const child = new EventEmitter() as ChildProcess;
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  Object.assign(child, { stdin, stdout, stderr: new PassThrough(), exitCode: null, signalCode: null, kill: () => true });
  const commands: Array<{ id: number; type: string }> = [];
  let buffered = '';
  stdin.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const command = JSON.parse(buffered.slice(0, end)) as { id: number; type: string };
      buffered = buffered.slice(end + 1);
      commands.push(command);
      const reply = answer(command);
      if (reply !== undefined) stdout.write(`${typeof reply === 'string' ? reply : JSON.stringify(reply)}\n`);
      if (command.type === 'stop') setImmediate(() => child.emit('close', 0, null));
    }
  });
  setImmediate(() => stdout.write('{"type":"ready","version":"Spark 4.1.1, Iceberg 1.12.0 on Java 17","startupMs":12000,"table":"lake.ns.t"}\n'));
  return { child, commands };
}

const deps = (child: ChildProcess) => ({ engineCacheDir: '/nowhere', classpath: async () => '/nowhere/*', spawnProcess: () => child });

describe('startIcebergEngine (with a stand-in JVM)', () => {
  it('sends commands one at a time and resolves each with the answer carrying its id; percentiles from the timed runs', async () => {
    const { child, commands } = fakeEngine((command) => {
      if (command.type === 'stats') {
        return { type: 'stats', id: command.id, snapshotId: null, snapshots: 0, records: 0, dataFiles: 0, dataBytes: 0, storageBytes: 0, storageObjects: 0, columns: [] };
      }
      if (command.type === 'query') {
        return { type: 'answered', id: command.id, name: 'q', micros: [300, 100, 200], bytesScanned: 9, dataFilesScanned: 1, dataFilesSkipped: 0, scanReports: 3, rowCount: 0, rows: [] };
      }
      if (command.type === 'stop') return { type: 'stopped', id: command.id };
      return undefined;
    });
    const engine = await startIcebergEngine(options, deps(child));
    expect(engine.ready.table).toBe('lake.ns.t');
    const [stats, answer] = await Promise.all([engine.stats(), engine.query({ name: 'q', sql: 'SELECT 1', repeats: 3 })]);
    expect(stats.records).toBe(0);
    expect(answer).toMatchObject({ p50Micros: 200, p99Micros: 300, bytesScanned: 9 });
    expect(commands.map((c) => [c.id, c.type])).toEqual([
      [1, 'stats'],
      [2, 'query'],
    ]);
    expect(commands[1]).toMatchObject({ sql: 'SELECT 1', repeats: 3, warmups: 1 });
    await engine.stop();
    expect(commands.at(-1)!.type).toBe('stop');
  });

  it("rejects a command the engine failed, and one whose answer is not valid, naming the field; the engine's exit fails what waits", async () => {
    const { child } = fakeEngine((command) => {
      if (command.type === 'curate') return { type: 'error', id: command.id, message: 'the append failed' };
      if (command.type === 'stats') return '{"type":"stats","id":2,"records":"many"}';
      return undefined;
    });
    const engine = await startIcebergEngine(options, deps(child));
    const curate = await engine.curate().catch((error: unknown) => error);
    expect(isTierlabError(curate, 'TIER_FAILED')).toBe(true);
    expect((curate as Error).message).toMatch(/curate failed: the append failed/);
    const stats = await engine.stats().catch((error: unknown) => error);
    expect((stats as Error).message).toMatch(/stats line whose snapshotId is not a string\|null/);
    // A bad answer leaves the engine's state unknown: every later command is refused.
    const later = await engine.stats().catch((error: unknown) => error);
    expect(isTierlabError(later, 'TIER_FAILED')).toBe(true);
  });

  it('fails the start when the JVM exits before it is ready', async () => {
    const child = new EventEmitter() as ChildProcess;
    Object.assign(child, { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), kill: () => true });
    const spawnProcess = () => {
      (child.stderr as PassThrough).write('Error: could not find or load main class\n');
      setImmediate(() => child.emit('close', 1, null));
      return child;
    };
    const error = await startIcebergEngine(options, { ...deps(child), spawnProcess }).catch((e: unknown) => e);
    expect(isTierlabError(error, 'TIER_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/exited \(1\): Error: could not find or load main class/);
  });
});
