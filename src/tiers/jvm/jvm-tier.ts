import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, TierlabError } from '../../errors.ts';
import { createKafkaClient } from '../../kafka/client.ts';
import { groupTimeouts } from '../../kafka/driver/types.ts';
import { readResults } from '../../kafka/results.ts';
import { runCommand } from '../../services/native/commands.ts';
import { reasonKey } from '../intake.ts';
import { TierStatus } from '../status.ts';
import type { TierEngine } from '../engine.ts';
import type { Tier, TierContext, TierName, VisibilityBatch } from '../types.ts';
import { ensureJvmEngine, type JvmModule } from './build.ts';
import { LineSplitter, parseEngineLine, type EngineLine, type VisibleRow } from './protocol.ts';

/** A tier run by a JVM engine of engines/jvm: which module, and the settings it is handed. */
export interface JvmTierSpec {
  tier: TierName;
  /** The engine's name, as --engine and summary.json's tiers.NAME.engine call it. */
  engine: string;
  module: JvmModule;
  /** What the engine honours of the tier's options (EngineConfig.java); a tier may hand more (micro-batch: triggerMs, allowedLatenessMs). */
  settings: { guarantee: string; maxWaitMs: number; threads: number; [setting: string]: string | number };
}

/** Heap for an engine process: ample for the lab's windows, and a bound on what its RSS can grow to. */
const heap = '-Xmx1g';
/** A JVM that has not joined its group and started consuming by then has failed to start. */
const startTimeoutMs = 180_000;
/** How long a stopping engine may take to commit and flush before it is killed. */
const stopTimeoutMs = 90_000;

/**
 * A tier whose work is done by a JVM engine process, started and stopped by this (worker)
 * process, so its CPU and memory are measured as the tier's (the worker's process tree). The
 * engine reads the tier's topics, writes the same results and dead letters as the Node tiers,
 * and reports on stdout each result it made visible with the times it took them (protocol.ts);
 * they are handed to the harness as every tier hands them. The JVM's start-up is reported apart
 * (engine.startupMs) and ends before the harness starts measuring.
 */
export function createJvmTier(context: TierContext, spec: JvmTierSpec): Tier {
  const status = new TierStatus();
  const clientId = `tierlab-${spec.tier}-${context.runId}`;
  let child: ChildProcess | undefined;
  let workDir: string | undefined;
  let engine: TierEngine = { name: spec.engine, version: 'not started' };
  const stderrTail: string[] = [];
  let stopped: Promise<void> | undefined;

  function onLine(line: EngineLine, ready: (error?: Error) => void): void {
    if (line.type === 'ready') {
      engine = { name: spec.engine, version: line.version, startupMs: line.startupMs };
      ready();
    } else if (line.type === 'progress') {
      status.usage.kafkaBytesWritten = line.kafkaBytesWritten;
      status.count(line.visible.length, line.rejected.map(reasonKey));
      for (const batch of visibilityBatches(spec.tier, line.visible)) context.onVisible(batch);
      status.visible += line.visible.length;
    } else if (line.type === 'error') {
      const error = new TierlabError('TIER_FAILED', `${spec.engine}: ${line.message}`);
      status.fail(error);
      ready(error);
    }
  }

  async function start(): Promise<void> {
    status.state = 'starting';
    const { classpath } = await ensureJvmEngine(spec.module, context.engineCacheDir, runCommand);
    workDir = await mkdtemp(join(tmpdir(), `tierlab-${spec.engine}-`));
    const configPath = join(workDir, 'engine.json');
    await writeFile(
      configPath,
      JSON.stringify({
        tier: spec.tier,
        bootstrap: context.kafka.brokers.join(','),
        groupId: `tierlab-${context.runId}-${spec.tier}`,
        clientId,
        topics: context.topics,
        windowMs: context.windowMs,
        rules: context.rules,
        ...spec.settings,
        stateDir: join(workDir, 'state'),
        group: groupTimeouts,
      }),
    );
    const process_ = spawn('java', [heap, ...(spec.module.jvmArgs ?? []), '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', classpath, spec.module.mainClass, configPath], {
      // stdin is the engine's lifeline: it exits when this process dies and the pipe closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = process_;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const ready = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => ready(new TierlabError('TIMEOUT', `${spec.engine} did not start within ${startTimeoutMs / 1000} s: ${stderrTail.join(' | ')}`)), startTimeoutMs);
      const lines = new LineSplitter();
      process_.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        try {
          for (const text of lines.push(chunk)) onLine(parseEngineLine(text), ready);
        } catch (error) {
          status.fail(error);
          ready(error as Error);
        }
      });
      process_.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const text of chunk.split('\n').filter(Boolean)) {
          stderrTail.push(text.slice(0, 300));
          if (stderrTail.length > 8) stderrTail.shift();
          context.logger.warn({ engine: spec.engine }, text.slice(0, 1_000));
        }
      });
      process_.on('error', (error) => {
        status.fail(new TierlabError('PREREQUISITE_MISSING', `java could not be started for ${spec.engine}: ${describeError(error)}`));
        ready(error);
      });
      process_.on('exit', (code, signal) => {
        if (status.state !== 'stopping' && status.state !== 'stopped') {
          const error = new TierlabError('TIER_FAILED', `${spec.engine} exited (${signal ?? code}) before it was stopped: ${stderrTail.join(' | ')}`);
          status.fail(error);
          ready(error);
        }
      });
    });
    status.state = 'running';
  }

  async function stop(): Promise<void> {
    status.stopping();
    const running = child;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const killer = setTimeout(() => running.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(killer);
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
    status.stopped();
  }

  return {
    name: spec.tier,
    facts: () => ({ engine, guarantee: spec.settings.guarantee === 'exactly-once' ? 'exactly-once' : 'at-least-once' }),
    start,
    stop: () => (stopped ??= stop()),
    health: () => status.health(),
    readCommittedResult: () => readResults(createKafkaClient(context.kafka, { clientId }), context.topics.results),
  };
}

/**
 * The engine's per-event lines as the harness takes them: events that share their processing,
 * write and visible times (one write) go together, as a Node tier reports one write.
 */
export function visibilityBatches(tier: TierName, rows: VisibleRow[]): VisibilityBatch[] {
  const batches: VisibilityBatch[] = [];
  let current: VisibilityBatch | undefined;
  for (const [seq, eventTimeMicros, sentMicros, readMicros, processingStartMicros, writeStartMicros, visibleMicros] of rows) {
    if (!current || current.processingStartMicros !== processingStartMicros || current.writeStartMicros !== writeStartMicros || current.visibleMicros !== visibleMicros) {
      current = { tier, processingStartMicros, writeStartMicros, visibleMicros, events: [] };
      batches.push(current);
    }
    current.events.push({ seq, eventTimeMicros, sentMicros, readMicros });
  }
  return batches;
}
