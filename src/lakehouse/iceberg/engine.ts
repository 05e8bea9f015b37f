import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, TierlabError } from '../../errors.ts';
import { silentLogger, type Logger } from '../../log.ts';
import { runCommand } from '../../services/native/commands.ts';
import type { S3Endpoint } from '../../services/types.ts';
import { ensureJvmEngine } from '../../tiers/jvm/build.ts';
import { LineSplitter } from '../../tiers/jvm/protocol.ts';
import { nearestRank } from '../zone-queries.ts';
import { icebergModule } from './module.ts';
import { parseCurationLine, type AnsweredLine, type CuratedLine, type CurationLine, type ExportedLine, type ReadyLine, type StatsLine } from './protocol.ts';

/** Where the curation reads and writes: all in one bucket of an S3-compatible server. */
export interface IcebergCurationOptions {
  s3: S3Endpoint;
  bucket: string;
  /** The raw zone's NDJSON objects are every key under this prefix. */
  rawPrefix: string;
  /** The Hadoop catalog's warehouse: the table is the folder NAMESPACE/TABLE under it. */
  warehousePrefix: string;
  /** A refused line goes to DEADLETTERPREFIX/RAW-KEY.ndjson, with its reason. */
  deadLetterPrefix: string;
  /** namespace.table, e.g. "lakehouse.events". */
  table: string;
  /** Spark's task threads in local mode (default 2, the lab's cores). */
  threads?: number;
}

export interface IcebergEngineDeps {
  engineCacheDir: string;
  logger?: Logger;
  /** Starts a process (java): the default is node's spawn; tests pass a fake. */
  spawnProcess?: (command: string, args: string[]) => ChildProcess;
  /** Builds the module and returns its classpath (default: ensureJvmEngine with Maven). */
  classpath?: () => Promise<string>;
}

export interface DashboardQuery {
  name: string;
  sql: string;
  /** Timed runs (default 5). */
  repeats?: number;
  /** Untimed runs before them (default 1). */
  warmups?: number;
  /** Rows sent back (default 100). */
  maxRows?: number;
}

export interface QueryAnswer extends AnsweredLine {
  /** Nearest-rank percentiles of the timed runs. */
  p50Micros: number;
  p99Micros: number;
}

export interface IcebergEngine extends AsyncDisposable {
  readonly ready: ReadyLine;
  /** The JVM's pid, for its CPU (undefined with a stand-in process in tests). */
  readonly pid: number | undefined;
  curate(): Promise<CuratedLine>;
  query(query: DashboardQuery): Promise<QueryAnswer>;
  stats(): Promise<StatsLine>;
  /** The rows the table took after `sinceSnapshotId` (all, when null) as Parquet in `directory` (absolute, local). */
  exportSince(sinceSnapshotId: string | null, directory: string): Promise<ExportedLine>;
  /** Says stop and waits for the JVM to exit (killed if it does not in time), then removes its folder. */
  stop(): Promise<void>;
}

/** Heap of the engine's JVM: the lab's tables are small, and the machine is shared with Kafka and S3. */
const heap = '-Xmx1g';
const startTimeoutMs = 180_000;
/** A command answers within this, or the engine is taken as hung. */
const commandTimeoutMs = 600_000;
const stopTimeoutMs = 30_000;

type Pending = { id: number; type: string; resolve: (line: CurationLine) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * Starts the curation engine's JVM and resolves once it is ready. Commands go one at a time (the
 * engine runs them in turn), each answered by the line with its id; a line that is not a valid
 * answer, an `error` answer, the process exiting or a command taking too long rejects with a
 * TierlabError. Its stdin is its lifeline: when this process dies, the JVM halts.
 */
export async function startIcebergEngine(options: IcebergCurationOptions, deps: IcebergEngineDeps): Promise<IcebergEngine> {
  const logger = deps.logger ?? silentLogger;
  const classpath = await (deps.classpath ?? (async () => (await ensureJvmEngine(icebergModule, deps.engineCacheDir, runCommand)).classpath))();
  const workDir = await mkdtemp(join(tmpdir(), 'tierlab-iceberg-'));
  const settingsPath = join(workDir, 'curation.json');
  // Readable by this user only: it holds the S3 secret.
  await writeFile(settingsPath, JSON.stringify({ ...options, threads: options.threads ?? 2, stateDir: join(workDir, 'state') }), { mode: 0o600 });
  const args = [heap, ...(icebergModule.jvmArgs ?? []), '-cp', classpath, icebergModule.mainClass, settingsPath];
  const child = (deps.spawnProcess ?? ((command, argv) => spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] })))('java', args);

  const stderrTail: string[] = [];
  let pending: Pending | undefined;
  let failed: TierlabError | undefined;
  let exited = false;
  let settleReady!: { resolve: (line: ReadyLine) => void; reject: (error: TierlabError) => void };
  const readyPromise = new Promise<ReadyLine>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  const startTimer = setTimeout(
    () => settleReady.reject(new TierlabError('TIMEOUT', `the Iceberg engine did not start within ${startTimeoutMs / 1000} s: ${stderrTail.join(' | ')}`)),
    startTimeoutMs,
  );
  /** The engine failed: before ready, the start fails; after, the command waiting fails, and every later one. */
  const fail = (error: TierlabError) => {
    clearTimeout(startTimer);
    settleReady.reject(error);
    failed ??= error;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      pending = undefined;
    }
  };

  const lines = new LineSplitter();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const text of lines.push(chunk)) {
      let line: CurationLine;
      try {
        line = parseCurationLine(text);
      } catch (error) {
        fail(error instanceof TierlabError ? error : new TierlabError('TIER_FAILED', describeError(error)));
        continue;
      }
      if (line.type === 'ready') {
        clearTimeout(startTimer);
        settleReady.resolve(line);
      } else if (line.type === 'error' && (line.id === undefined || line.id < 0)) {
        fail(new TierlabError('TIER_FAILED', `the Iceberg engine failed: ${line.message}`));
      } else answer(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const text of chunk.split('\n').filter(Boolean)) {
      stderrTail.push(text.slice(0, 300));
      if (stderrTail.length > 8) stderrTail.shift();
      // Spark's own warnings (the loopback hostname, native Hadoop) are routine: kept for --debug, and the last lines for an error.
      logger.debug({ engine: 'iceberg' }, text.slice(0, 1_000));
    }
  });
  child.on('error', (error) => {
    fail(new TierlabError('PREREQUISITE_MISSING', `java could not be started for the Iceberg engine: ${describeError(error)}`));
  });
  // 'close', not 'exit': every line the engine wrote has been read by then (its last answer among them).
  child.on('close', (code, signal) => {
    exited = true;
    fail(new TierlabError('TIER_FAILED', `the Iceberg engine exited (${signal ?? code}): ${stderrTail.join(' | ')}`));
  });

  function answer(line: Exclude<CurationLine, ReadyLine>): void {
    const id = 'id' in line ? line.id : undefined;
    if (!pending || id !== pending.id) {
      fail(new TierlabError('TIER_FAILED', `the Iceberg engine answered command ${String(id)}, but ${pending ? `${pending.id} was asked` : 'none was asked'}`));
      return;
    }
    const { resolve, reject, timer, type } = pending;
    pending = undefined;
    clearTimeout(timer);
    if (line.type === 'error') reject(new TierlabError('TIER_FAILED', `the Iceberg engine's ${type} failed: ${line.message}`, { details: { command: type } }));
    else resolve(line);
  }

  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  /** Sends one command once the one before it is answered, and resolves with its answer of the expected type. */
  function send<T extends CurationLine['type']>(command: Record<string, unknown> & { type: string }, expects: T): Promise<Extract<CurationLine, { type: T }>> {
    const turn = queue.then(
      () =>
        new Promise<CurationLine>((resolve, reject) => {
          if (failed) return reject(failed);
          const id = nextId++;
          const timer = setTimeout(() => fail(new TierlabError('TIMEOUT', `the Iceberg engine did not answer ${command.type} within ${commandTimeoutMs / 1000} s`)), commandTimeoutMs);
          pending = { id, type: command.type, resolve, reject, timer };
          child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
        }),
    );
    queue = turn.catch(() => undefined);
    return turn.then((line) => {
      if (line.type !== expects) throw new TierlabError('TIER_FAILED', `the Iceberg engine answered ${command.type} with a ${line.type} line`);
      return line as Extract<CurationLine, { type: T }>;
    });
  }

  let ready: ReadyLine;
  try {
    ready = await readyPromise;
  } catch (error) {
    child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  logger.info({ engine: 'iceberg', version: ready.version, startupMs: ready.startupMs }, 'the Iceberg curation engine is ready');

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await send({ type: 'stop' }, 'stopped').catch(() => child.kill('SIGKILL'));
      await gone;
      clearTimeout(killer);
    }
    await rm(workDir, { recursive: true, force: true });
  }

  return {
    ready,
    pid: child.pid,
    curate: () => send({ type: 'curate' }, 'curated'),
    async query(query) {
      const line = await send({ type: 'query', repeats: 5, warmups: 1, maxRows: 100, ...query }, 'answered');
      return { ...line, p50Micros: nearestRank(line.micros, 50), p99Micros: nearestRank(line.micros, 99) };
    },
    stats: () => send({ type: 'stats' }, 'stats'),
    exportSince: (sinceSnapshotId, directory) => send({ type: 'export', sinceSnapshotId, directory }, 'exported'),
    stop: () => (stopped ??= stop()),
    [Symbol.asyncDispose]: () => (stopped ??= stop()),
  };
}
