import { spawn } from 'node:child_process';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TierlabError } from '../../errors.ts';
import { rotateLog } from './log-rotation.ts';

/**
 * session: the server lives as long as this Node process. A small shell watchdog holds a pipe
 * from us and stops the server when the pipe closes, so even a crashed (SIGKILLed) parent
 * leaves no orphan. daemon: the server outlives us (`tierlab services up`) and is stopped by pid.
 */
export type Ownership = 'session' | 'daemon';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logPath: string;
  /** With session ownership: removed by the watchdog once the server has exited. */
  cleanupDir?: string;
  /**
   * The signal that asks this server to shut down cleanly; SIGTERM unless it says otherwise.
   * PostgreSQL takes SIGTERM as "wait for every client to leave" and SIGINT as a fast, clean shutdown.
   */
  stopSignal?: NodeJS.Signals;
}

export interface RunningProcess {
  readonly pid: number;
  readonly ownership: Ownership;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<string>;
  /**
   * SIGTERM, SIGKILL after the grace period. `keepWorkDir`: a session server's watchdog leaves its
   * work dir in place this once, so the server can be started again on the same data (a restart fault).
   */
  stop(graceMillis?: number, options?: { keepWorkDir?: boolean }): Promise<void>;
}

/**
 * Present in a session server's work dir while it is stopped to be started again: its watchdog
 * then leaves the dir alone. The next start of a server on that dir removes it, so the new
 * watchdog removes the dir at the session's end as before.
 */
export const keepMarker = '.tierlab-keep';

// "$@" is the server command. fd 3 keeps our pipe: background jobs get /dev/null as stdin.
const watchdog = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'server=$!',
  '( cat <&3 >/dev/null; kill -"${TIERLAB_STOP_SIGNAL:-TERM}" "$server" 2>/dev/null ) &',
  'wait "$server"',
  'code=$?',
  // A session server's work dir (its data and log) goes with it, however its parent ended,
  // unless it is being restarted (keepMarker).
  'if [ -n "${TIERLAB_CLEANUP_DIR:-}" ] && [ ! -e "$TIERLAB_CLEANUP_DIR/' + keepMarker + '" ]; then rm -rf "$TIERLAB_CLEANUP_DIR"; fi',
  'exit $code',
].join('\n');

export async function startProcess(spec: ProcessSpec, ownership: Ownership): Promise<RunningProcess> {
  // Started again after a restart's stop: from now on this server's watchdog owns the dir's removal.
  if (spec.cleanupDir) await rm(join(spec.cleanupDir, keepMarker), { force: true });
  await rotateLog(spec.logPath);
  const log = await open(spec.logPath, 'a');
  try {
    const child =
      ownership === 'session'
        ? spawn('bash', ['-c', watchdog, spec.name, spec.command, ...spec.args], {
            cwd: spec.cwd,
            env: {
              ...(spec.env ?? process.env),
              TIERLAB_CLEANUP_DIR: spec.cleanupDir ?? '',
              TIERLAB_STOP_SIGNAL: (spec.stopSignal ?? 'SIGTERM').replace(/^SIG/, ''),
            },
            stdio: ['pipe', log.fd, log.fd],
            detached: true, // its own process group, so a final SIGKILL reaches the whole tree
          })
        : spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', log.fd, log.fd], detached: true });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', (cause) =>
        reject(new TierlabError('SERVICE_START_FAILED', `${spec.name}: could not run ${spec.command}`, { cause })),
      );
    });
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ?? String(code))),
    );
    if (ownership === 'daemon') {
      child.unref();
      return { pid, ownership, exited, stop: (grace) => stopProcessGroup(pid, grace, spec.stopSignal) };
    }
    // Don't let the open pipe keep the event loop alive; the pipe's only job is to close with us.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    let stopping: Promise<void> | undefined;
    const stop = (graceMillis = 15_000, options: { keepWorkDir?: boolean } = {}): Promise<void> => {
      stopping ??= (async () => {
        if (options.keepWorkDir && spec.cleanupDir) await writeFile(join(spec.cleanupDir, keepMarker), '');
        child.stdin?.end();
        const grace = new AbortController();
        const ended = await Promise.race([
          exited.then(() => true),
          sleep(graceMillis, false, { signal: grace.signal }).catch(() => false),
        ]);
        grace.abort(); // a pending grace timer would keep the caller's process alive
        if (!ended) await stopProcessGroup(pid, 0);
      })();
      return stopping;
    };
    return { pid, ownership, exited, stop };
  } finally {
    await log.close();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stop signal to the group (SIGTERM: servers shut down cleanly on it), SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMillis = 15_000, stopSignal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  signalGroup(pid, graceMillis > 0 ? stopSignal : 'SIGKILL');
  const deadline = Date.now() + graceMillis;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export interface WaitOptions {
  name: string;
  timeoutMillis: number;
  logPath: string;
  exited: Promise<string>;
  intervalMillis?: number;
}

/** Polls `probe` until it answers true; fails at once, with the log's tail, if the process died. */
export async function waitUntilReady(probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  let exitedWith: string | undefined;
  void options.exited.then((code) => (exitedWith = code));
  const deadline = Date.now() + options.timeoutMillis;
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new TierlabError(
        'SERVICE_START_FAILED',
        `${options.name} exited (${exitedWith}) while starting; log ${options.logPath}:\n${await logTail(options.logPath)}`,
        { details: { logPath: options.logPath } },
      );
    }
    if (await probe().catch(() => false)) return;
    await sleep(options.intervalMillis ?? 250);
  }
  throw new TierlabError(
    'SERVICE_START_FAILED',
    `${options.name} did not become ready within ${options.timeoutMillis / 1000}s; log ${options.logPath}:\n${await logTail(options.logPath)}`,
    { retriable: true, details: { logPath: options.logPath } },
  );
}

export async function logTail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join('\n');
}

/**
 * Starts a server and waits until `answers` says it serves; one that never does is stopped, so
 * a failed start leaves nothing behind. A session server's work dir goes with it.
 */
export async function startServer(
  spec: ProcessSpec & { workDir: string },
  ownership: Ownership,
  ready: { name: string; answers: () => Promise<boolean>; timeoutMillis: number },
): Promise<RunningProcess> {
  const { workDir, ...process } = spec;
  const server = await startProcess({ ...process, ...(ownership === 'session' ? { cleanupDir: workDir } : {}) }, ownership);
  try {
    await waitUntilReady(ready.answers, { name: ready.name, timeoutMillis: ready.timeoutMillis, logPath: spec.logPath, exited: server.exited });
  } catch (error) {
    await server.stop(5_000);
    throw error;
  }
  return server;
}
