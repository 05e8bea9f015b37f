import { spawn } from 'node:child_process';
import { TierlabError } from '../../errors.ts';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stop the command once it has run this long; default defaultCommandTimeoutMs. */
  timeoutMs?: number;
  /** How long SIGTERM has to end it before SIGKILL does. */
  killGraceMs?: number;
}

/** Runs a command to completion; injected so provisioning can be tested without Java or Maven. */
export type CommandRunner = (command: string, args: string[], options?: CommandOptions) => Promise<CommandResult>;

/**
 * Ten minutes: the slowest command tierlab runs is Maven's first fetch of the server jars (about
 * 100 MiB from Maven Central), minutes on a slow network. A hung tool fails the run after this
 * instead of hanging it; callers that know their command is quick pass less.
 */
export const defaultCommandTimeoutMs = 10 * 60_000;

/** Long enough for Maven or docker to clean up on SIGTERM, short enough not to matter after a timeout. */
const defaultKillGraceMs = 5_000;

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const { timeoutMs = defaultCommandTimeoutMs, killGraceMs = defaultKillGraceMs, ...spawnOptions } = options;
    const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(killTimer);
    };
    // The failure is reported once the child has exited, not once its output closes: a
    // grandchild may hold the pipes open for as long as it lives.
    const failTimedOut = () => {
      settle();
      child.stdout.destroy();
      child.stderr.destroy();
      reject(
        new TierlabError('TIMEOUT', `"${[command, ...args].join(' ')}" did not finish within ${timeoutMs} ms and was stopped`, {
          details: { command, args, timeoutMs, pid: child.pid, stderrTail: stderr.slice(-2_000) },
        }),
      );
    };
    // Only the child is signalled: it stays in tierlab's process group, so a Ctrl-C still reaches
    // it and what it started. The tools run here (mvn, docker, java) exec or reap their own children.
    const timer = setTimeout(() => {
      timedOut = true;
      if (exited) return failTimedOut(); // it ended, but something it started still holds its output
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    }, timeoutMs);
    child.once('error', (error) => {
      settle();
      reject(error); // ENOENT: the command is not installed
    });
    child.once('exit', () => {
      exited = true;
      if (timedOut) failTimedOut();
    });
    child.once('close', (code) => {
      if (timedOut) return;
      settle();
      resolve({ code, stdout, stderr });
    });
  });
