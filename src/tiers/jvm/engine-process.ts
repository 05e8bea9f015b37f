import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, TierlabError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { runCommand } from '../../services/native/commands.ts';
import type { TierEngine } from '../engine.ts';
import { ensureJvmEngine, type JvmModule } from './build.ts';
import { LineSplitter, parseEngineLine, type EngineLine } from './protocol.ts';

/** Heap for an engine process: ample for the lab's windows, and a bound on what its RSS can grow to. */
const heap = '-Xmx1g';
/** A JVM that has not started its work by then has failed to start. */
const startTimeoutMs = 180_000;
/** How long a stopping engine may take to finish and flush before it is killed. */
const stopTimeoutMs = 90_000;

export type ProgressLine = Extract<EngineLine, { type: 'progress' }>;

export interface EngineProcessSpec {
  /** The engine's name, as --engine and summary.json's tiers.NAME.engine call it. */
  engine: string;
  module: JvmModule;
  /** The settings it is handed as a JSON file (EngineConfig.java); `stateDir` is added, a folder of its own. */
  config: Record<string, unknown>;
  engineCacheDir: string;
  logger: Logger;
}

export interface EngineProcessHandlers {
  onProgress(line: ProgressLine): void;
  /** The engine said it failed, or exited before it was asked to stop. */
  onFailure(error: TierlabError): void;
}

export interface EngineProcess {
  /** Its name, version and start-up time (summary.json tiers.NAME.engine). */
  readonly engine: TierEngine;
  /** SIGTERM, its drain: waits until it exits (killed after stopTimeoutMs), then removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts an engine JVM of engines/jvm under this (worker) process, so its CPU and memory are
 * measured as the tier's, and resolves once it says it is ready. Its stdin is its lifeline: the
 * JVM halts when this process dies and the pipe closes. It reports on stdout (protocol.ts); its
 * stderr is logged, and the last lines are kept for the error that names why it failed.
 */
export async function startEngineProcess(spec: EngineProcessSpec, handlers: EngineProcessHandlers): Promise<EngineProcess> {
  const { classpath } = await ensureJvmEngine(spec.module, spec.engineCacheDir, runCommand);
  const workDir = await mkdtemp(join(tmpdir(), `tierlab-${spec.engine}-`));
  const configPath = join(workDir, 'engine.json');
  // Readable by this user only: it may hold the broker's SASL password.
  await writeFile(configPath, JSON.stringify({ ...spec.config, stateDir: join(workDir, 'state') }), { mode: 0o600 });
  const child = spawn('java', [heap, ...(spec.module.jvmArgs ?? []), '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', classpath, spec.module.mainClass, configPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderrTail: string[] = [];
  let stopping = false;
  let engine: TierEngine = { name: spec.engine, version: 'not started' };
  try {
    await new Promise<void>((resolve, reject) => {
      let started = false;
      const fail = (error: TierlabError) => {
        if (!started) {
          started = true;
          clearTimeout(timer);
          reject(error);
        } else if (!stopping) handlers.onFailure(error);
      };
      const timer = setTimeout(() => fail(new TierlabError('TIMEOUT', `${spec.engine} did not start within ${startTimeoutMs / 1000} s: ${stderrTail.join(' | ')}`)), startTimeoutMs);
      const lines = new LineSplitter();
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        try {
          for (const text of lines.push(chunk)) {
            const line = parseEngineLine(text);
            if (line.type === 'ready') {
              engine = { name: spec.engine, version: line.version, startupMs: line.startupMs };
              started = true;
              clearTimeout(timer);
              resolve();
            } else if (line.type === 'progress') handlers.onProgress(line);
            else if (line.type === 'error') fail(new TierlabError('TIER_FAILED', `${spec.engine}: ${line.message}`));
          }
        } catch (error) {
          fail(error instanceof TierlabError ? error : new TierlabError('TIER_FAILED', describeError(error)));
        }
      });
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const text of chunk.split('\n').filter(Boolean)) {
          stderrTail.push(text.slice(0, 300));
          if (stderrTail.length > 8) stderrTail.shift();
          spec.logger.warn({ engine: spec.engine }, text.slice(0, 1_000));
        }
      });
      child.on('error', (error) => fail(new TierlabError('PREREQUISITE_MISSING', `java could not be started for ${spec.engine}: ${describeError(error)}`)));
      child.on('exit', (code, signal) => fail(new TierlabError('TIER_FAILED', `${spec.engine} exited (${signal ?? code}) before it was stopped: ${stderrTail.join(' | ')}`)));
    });
  } catch (error) {
    child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  return {
    get engine() {
      return engine;
    },
    async stop() {
      stopping = true;
      await stopChild(child);
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  await exited;
  clearTimeout(killer);
}
