import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TierlabError } from '../errors.ts';
import { idleHealth, type TierRunner, type TierRunnerResult, type TierSpec } from './tier-runner.ts';
import type { FromWorker, ToWorker } from './worker.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * Runs the tier in a forked Node process; a crash of that process is reported as the tier's error.
 * niceness > 0 runs it below the broker and the generator (see lab-run.ts for when).
 */
export function workerTierRunner(spec: TierSpec, options: { niceness?: number } = {}): TierRunner {
  const child: ChildProcess = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  if (options.niceness) {
    try {
      setPriority(child.pid!, options.niceness);
    } catch {
      // Raising niceness needs no privilege; where it still fails the worker runs at normal priority.
    }
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let health = idleHealth();
  let snapshot: TierRunnerResult | undefined;
  let killed = false;
  let stopping = false;
  const waiting = new Map<FromWorker['type'], (message: FromWorker) => void>();
  let failure: string | undefined;
  let unplanned: (reason: string) => void = () => undefined;
  const unplannedExit = new Promise<string>((resolve) => (unplanned = resolve));
  // Judged once the channel has closed too, so every message the worker wrote (its stop result, last) has been heard first.
  const exited = Promise.all([once(child, 'exit'), once(child, 'disconnect')]).then(([[code, signal]]) => {
    if (health.state !== 'stopped' && !failure && !killed) {
      const detail = stderr.trim().split('\n').slice(-3).join(' | ');
      failure = `worker process ${child.pid} exited (${signal ?? code}) before it stopped${detail ? `: ${detail}` : ''}`;
      health = { ...health, state: 'errored', error: failure };
      // Asked to stop, it may end before it answers: that is the stop failing, not a crash to recover from.
      if (!stopping) unplanned(failure);
    }
    for (const resolve of waiting.values()) resolve({ type: 'failed', error: failure ?? 'worker exited' });
  });
  child.on('message', (message: FromWorker) => {
    if (message.type === 'health') health = message.health;
    if (message.type === 'failed') {
      failure = message.error;
      health = { ...health, state: 'errored', error: message.error };
    }
    if (message.type === 'stopped') health = message.result.health;
    if (message.type === 'snapshot') snapshot = message.result;
    const resolve = waiting.get(message.type) ?? (message.type === 'failed' ? [...waiting.values()][0] : undefined);
    resolve?.(message);
  });
  const request = async (message: ToWorker, reply: FromWorker['type']): Promise<FromWorker> => {
    const answered = new Promise<FromWorker>((resolve) => waiting.set(reply, resolve));
    child.send(message);
    const answer = await answered;
    waiting.delete(reply);
    return answer;
  };
  return {
    name: spec.name,
    pid: child.pid as number,
    async start(window) {
      const answer = await request({ type: 'start', spec, ...(window ? { window } : {}) }, 'started');
      if (answer.type === 'failed') throw new TierlabError('TIER_FAILED', `${spec.name}: ${answer.error}`);
    },
    async measure(window) {
      const answer = await request({ type: 'measure', window }, 'measuring');
      if (answer.type === 'failed') throw new TierlabError('TIER_FAILED', `${spec.name}: ${answer.error}`);
    },
    health: () => health,
    lastSnapshot: () => snapshot,
    unplannedExit,
    watchRecovery(sinceMicros) {
      if (child.connected) child.send({ type: 'watch', sinceMicros } satisfies ToWorker);
    },
    async kill() {
      killed = true;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(): Promise<TierRunnerResult> {
      stopping = true;
      try {
        if (child.exitCode !== null || !child.connected) throw new TierlabError('TIER_FAILED', failure ?? `${spec.name} worker is gone`);
        const answer = await request({ type: 'stop' }, 'stopped');
        if (answer.type !== 'stopped') throw new TierlabError('TIER_FAILED', `${spec.name}: ${answer.type === 'failed' ? answer.error : 'no result'}`);
        return answer.result;
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
