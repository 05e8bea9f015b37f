// A tier in its own process, so its CPU and memory are its own. Driven over IPC by
// worker-runner.ts: start -> started, health every 250 ms, a snapshot of what it measured every
// second (so a SIGKILLed worker's figures survive it), stop -> stopped with its histograms.
import { describeError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { sendLast } from './last-message.ts';
import { localTierRunner, type MeasureWindow, type TierRunner, type TierSpec } from './tier-runner.ts';

export type ToWorker =
  | { type: 'start'; spec: TierSpec; window?: MeasureWindow }
  | { type: 'measure'; window: MeasureWindow }
  | { type: 'watch'; sinceMicros: number }
  | { type: 'stop' };
export type FromWorker =
  | { type: 'started' }
  | { type: 'measuring' }
  | { type: 'health'; health: ReturnType<TierRunner['health']> }
  | { type: 'stopped'; result: Awaited<ReturnType<TierRunner['stop']>> }
  | { type: 'snapshot'; result: Awaited<ReturnType<TierRunner['stop']>> }
  | { type: 'failed'; error: string };

const send = (message: FromWorker) => process.send?.(message);

/** Exit status of a worker that ends itself to be replaced (EX_TEMPFAIL: try again). */
const restartExitCode = 75;

/**
 * A tier asks to be replaced: the reason goes to stderr, where the harness reads the last lines of
 * a worker that exited, and the process ends at once, as a crash would; the harness replaces it.
 */
function restartProcess(reason: string): never {
  process.stderr.write(`tierlab: ${reason}; this worker ends so that a new one restores what was committed and retries\n`);
  process.exit(restartExitCode);
}
let runner: TierRunner | undefined;
let healthTimer: NodeJS.Timeout | undefined;
let snapshotTimer: NodeJS.Timeout | undefined;

process.on('message', (message: ToWorker) => {
  void (async () => {
    try {
      if (message.type === 'start') {
        const logger = createLogger({ bindings: { runId: message.spec.runId, tier: message.spec.name }, level: process.env.TIERLAB_LOG_LEVEL ?? 'warn' });
        runner = localTierRunner(message.spec, logger, undefined, restartProcess);
        await runner.start(message.window);
        send({ type: 'started' });
        healthTimer = setInterval(() => send({ type: 'health', health: runner!.health() }), 250);
      } else if (message.type === 'measure') {
        await runner!.measure(message.window);
        send({ type: 'measuring' });
        snapshotTimer = setInterval(() => send({ type: 'snapshot', result: runner!.snapshot!() }), 1_000);
      } else if (message.type === 'watch') {
        runner?.watchRecovery?.(message.sinceMicros);
      } else if (message.type === 'stop') {
        if (healthTimer) clearInterval(healthTimer);
        if (snapshotTimer) clearInterval(snapshotTimer);
        const result = await runner!.stop();
        sendLast<FromWorker>({ type: 'stopped', result });
      }
    } catch (error) {
      send({ type: 'failed', error: describeError(error) });
    }
  })();
});
// The parent's pipe closing means the parent is gone: nothing is left to report to.
process.on('disconnect', () => setTimeout(() => process.exit(0), 100).unref());
