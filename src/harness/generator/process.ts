import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { TierlabError } from '../../errors.ts';
import type { OpenLoopProgress } from '../../events/index.ts';
import type { KafkaEndpoint } from '../../services/types.ts';
import type { StreamGenerator } from './types.ts';
import type { FromGenerator, ToGenerator } from './worker.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Forks the generator's process and connects its producer; one process serves every pass of a run. */
export async function forkGenerator(kafka: KafkaEndpoint): Promise<StreamGenerator> {
  const child = fork(workerPath, [], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let pending: { expect: FromGenerator['type']; resolve: (m: FromGenerator) => void; progress?: (p: OpenLoopProgress) => void } | undefined;
  const exited = once(child, 'exit');
  void exited.then(([code, signal]) => {
    const detail = stderr.trim().split('\n').slice(-3).join(' | ');
    pending?.resolve({ type: 'failed', error: `generator process exited (${signal ?? code}): ${detail}` });
  });
  child.on('message', (message: FromGenerator) => {
    if (message.type === 'progress') return pending?.progress?.(message);
    if (pending && (message.type === pending.expect || message.type === 'failed')) pending.resolve(message);
  });
  async function request<T extends FromGenerator['type']>(
    message: ToGenerator,
    expect: T,
    progress?: (p: OpenLoopProgress) => void,
  ): Promise<Extract<FromGenerator, { type: T }>> {
    if (pending) throw new TierlabError('TIER_FAILED', 'the generator is busy with another request');
    const answered = new Promise<FromGenerator>((resolve) => (pending = { expect, resolve, ...(progress ? { progress } : {}) }));
    child.send(message);
    const answer = await answered;
    pending = undefined;
    if (answer.type === 'failed') throw new TierlabError('TIER_FAILED', `generator: ${answer.error}`);
    return answer as Extract<FromGenerator, { type: T }>;
  }
  try {
    await request({ type: 'connect', kafka }, 'connected');
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    pid: child.pid!,
    warmup: async (plan) => (await request({ type: 'warmup', plan }, 'warmed')).warmup,
    generate: async (plan, onProgress) => (await request({ type: 'generate', plan }, 'generated', onProgress)).stream,
    async close() {
      if (child.exitCode === null && child.connected) await request({ type: 'close' }, 'closed').catch(() => undefined);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
