import { describe, expect, it } from 'vitest';
import { isTierlabError } from '../../../src/errors.ts';
import { restartableRunner } from '../../../src/harness/faults/restartable.ts';
import type { FaultContext } from '../../../src/harness/faults/types.ts';
import { crashLoopWindowMs, superviseWorkers } from '../../../src/harness/faults/supervise.ts';
import { parseFault, specAt } from '../../../src/harness/faults/spec.ts';
import { idleHealth, type TierRunner, type TierRunnerResult, type TierSpec } from '../../../src/harness/tier-runner.ts';
import { lostAndTwice } from '../../../src/harness/verify.ts';
import { TierLatency } from '../../../src/metrics/latency.ts';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(isTierlabError(error, 'BAD_INPUT')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('no error');
};

describe('--fault specs', () => {
  it('reads kill:TIER@T', () => {
    expect(parseFault('kill:streaming@12s')).toEqual({ kind: 'kill', tier: 'streaming', atMs: 12_000, text: 'kill:streaming@12s' });
    expect(parseFault('kill:microbatch@1.5m')).toMatchObject({ tier: 'microbatch', atMs: 90_000 });
  });

  it('reads kill:TIER#W@T, one of several worker processes, and names a bad W', () => {
    expect(parseFault('kill:streaming#2@12s')).toEqual({ kind: 'kill', tier: 'streaming', worker: 2, atMs: 12_000, text: 'kill:streaming#2@12s' });
    expect(specAt(parseFault('kill:streaming#2@12s'), 12_000)).toBe('kill:streaming#2@12.0s');
    expect(message(() => parseFault('kill:streaming#0@12s'))).toBe('--fault kill:streaming#0@12s: the worker must be a whole number from 1, as in kill:streaming#2@12s (got "0")');
    expect(message(() => parseFault('kill:streaming#two@12s'))).toContain('(got "two")');
  });

  it('reads broker-restart@T and s3-outage@T+D', () => {
    expect(parseFault('broker-restart@15s')).toEqual({ kind: 'broker-restart', atMs: 15_000, text: 'broker-restart@15s' });
    expect(parseFault('s3-outage@10s+15s')).toEqual({ kind: 's3-outage', atMs: 10_000, forMs: 15_000, text: 's3-outage@10s+15s' });
    expect(parseFault(' s3-outage@500ms+1m ')).toMatchObject({ atMs: 500, forMs: 60_000 });
  });

  it('names a bad tier, a bad time, a bad outage, and an unknown fault', () => {
    expect(message(() => parseFault('kill:flink@12s'))).toBe('--fault kill:flink@12s: unknown tier "flink"; known: batch, microbatch, streaming');
    expect(message(() => parseFault('kill:streaming@soon'))).toContain('--fault kill:streaming@soon: the time must be a duration');
    expect(message(() => parseFault('broker-restart@later'))).toContain('--fault broker-restart@later: the time must be a duration');
    expect(message(() => parseFault('s3-outage@10s'))).toBe(
      '--fault s3-outage@10s: must be s3-outage@T+D: the outage starts T after the stream and lasts D, e.g. s3-outage@10s+15s',
    );
    expect(message(() => parseFault('s3-outage@10s+2m'))).toBe(
      '--fault s3-outage@10s+2m: the duration must be more than 0 and at most 60 s: the tiers retry an unavailable S3 for a bounded time',
    );
    expect(message(() => parseFault('unplug'))).toBe(
      '--fault must be kill:TIER[#W]@T, broker-restart@T or s3-outage@T+D, e.g. kill:streaming@12s, kill:streaming#2@12s, s3-outage@10s+15s (got "unplug")',
    );
  });
});

describe('unseen and applied twice, from the windows', () => {
  const window = (key: string, count: number) => ({ key, windowStartMicros: 0, count, sumCents: 0, flags: {} });
  it('counts missing events, extra ones, and windows missing or extra as a whole', () => {
    const expected = [window('a', 5), window('b', 3), window('c', 2)];
    expect(lostAndTwice(expected, [window('a', 5), window('b', 3), window('c', 2)])).toEqual({ unseen: 0, appliedTwice: 0 });
    expect(lostAndTwice(expected, [window('a', 4), window('b', 4), window('d', 7)])).toEqual({ unseen: 1 + 2, appliedTwice: 1 + 7 });
  });
});

/** A worker runner the test drives: its health and results are set by hand. */
function fakeWorker(visible: number, accepted: number, seqs: number[]) {
  const latency = new TierLatency(0);
  latency.record({ tier: 'streaming', processingStartMicros: 10, writeStartMicros: 20, visibleMicros: 30, events: seqs.map((seq) => ({ seq, eventTimeMicros: 1, sentMicros: 2, readMicros: 3 })) });
  const result: TierRunnerResult = { health: { ...idleHealth(), state: 'stopped', visible, counts: { accepted, rejected: 0, rejectedByReason: {} } }, latency: latency.encode(), freshness: '', facts: {} };
  let killed = false;
  const runner: TierRunner & { killed: () => boolean } = {
    name: 'streaming',
    pid: 1,
    start: async () => undefined,
    measure: async () => undefined,
    health: () => ({ ...result.health, state: 'running', firstVisibleMicros: 5_000 }),
    stop: async () => result,
    lastSnapshot: () => result,
    kill: async () => {
      killed = true;
    },
    killed: () => killed,
  };
  return runner;
}

describe('a restartable runner', () => {
  it('kills the worker, starts a new one, counts from the committed baseline, and merges the dead one\'s figures', async () => {
    const first = fakeWorker(900, 1_000, [1, 2]);
    const second = fakeWorker(300, 300, [3]);
    const made = [first, second];
    const runner = restartableRunner(() => made.shift()!);
    await runner.start();
    await runner.measure({ warmupEndsMicros: 0, generatorEndsMicros: 1 });
    const restart = await runner.restart(() => 4_000, async () => ({ accepted: 700, rejected: 5 }));
    expect(first.killed()).toBe(true);
    expect(runner.health().counts).toMatchObject({ accepted: 700 + 300, rejected: 5 });
    expect(runner.health().visible).toBe(700 + 300);
    expect(restart.recoveryMicros()).toBe(1_000);
    const result = await runner.stop();
    expect(result.latency.total.length).toBeGreaterThan(0);
    const merged = new TierLatency(0);
    merged.merge(result.latency);
    expect(merged.total.totalCount).toBe(3);
  });
});

describe("a service fault's recovery when the tier's worker is replaced meanwhile", () => {
  it('asks the replacement too, so the first result visible after the server went down is found, whichever worker made it', async () => {
    const watchedBy: Array<{ worker: string; since: number }> = [];
    const worker = (name: string, answers: boolean) => {
      const since: Record<string, number> = {};
      return Object.assign(fakeWorker(0, 0, [1]), {
        watchRecovery: (at: number) => {
          watchedBy.push({ worker: name, since: at });
          if (answers) since[String(at)] = at + 2_500;
        },
        health: () => ({ ...idleHealth(), state: 'running' as const, visibleSince: { ...since } }),
      });
    };
    const made = [worker('first', false), worker('second', true)];
    const runner = restartableRunner(() => made.shift()!);
    await runner.start();
    await runner.measure({ warmupEndsMicros: 0, generatorEndsMicros: 1 });
    runner.watchRecovery!(10_000); // the broker goes down; the first worker dies before it makes anything visible
    await runner.restart(() => 11_000, async () => ({ accepted: 0, rejected: 0 }));
    expect(watchedBy).toEqual([
      { worker: 'first', since: 10_000 },
      { worker: 'second', since: 10_000 },
    ]);
    expect(runner.health().visibleSince).toEqual({ '10000': 12_500 });
  });
});

/** A worker whose unplanned exit the test triggers, as a crash or a `kill -9` by hand would. */
function mortalWorker(name = 'streaming') {
  let die: (reason: string) => void = () => undefined;
  const worker = fakeWorker(0, 0, [1]);
  return Object.assign(worker, { name, unplannedExit: new Promise<string>((resolve) => (die = resolve)), die: (reason: string) => die(reason) });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a worker that ends unplanned', () => {
  it('is reported by its restartable runner only while it measures, and only while it is the live worker', async () => {
    const first = mortalWorker();
    const second = mortalWorker();
    const made = [first, second];
    const runner = restartableRunner(() => made.shift()!);
    const reasons: string[] = [];
    runner.onUnplannedExit((reason) => reasons.push(reason));
    await runner.start();
    await runner.measure({ warmupEndsMicros: 0, generatorEndsMicros: 1 });
    first.die('worker process 11 exited (SIGKILL) before it stopped');
    await tick();
    expect(reasons).toEqual(['worker process 11 exited (SIGKILL) before it stopped']);
    await runner.restart(() => 4_000, async () => ({ accepted: 0, rejected: 0 }));
    // The replaced worker's exit is old news; the replacement's is reported.
    first.die('again');
    second.die('worker process 12 exited (SIGSEGV) before it stopped');
    await tick();
    expect(reasons).toEqual(['worker process 11 exited (SIGKILL) before it stopped', 'worker process 12 exited (SIGSEGV) before it stopped']);
  });

  it('is not reported before the worker measures, nor once the tier stops', async () => {
    const early = mortalWorker();
    const runner = restartableRunner(() => early);
    const reasons: string[] = [];
    runner.onUnplannedExit((reason) => reasons.push(reason));
    await runner.start();
    early.die('exited during start');
    await tick();
    expect(reasons).toEqual([]);

    const late = mortalWorker();
    const stopped = restartableRunner(() => late);
    stopped.onUnplannedExit((reason) => reasons.push(reason));
    await stopped.start();
    await stopped.measure({ warmupEndsMicros: 0, generatorEndsMicros: 1 });
    await stopped.stop();
    late.die('exited while stopping');
    await tick();
    expect(reasons).toEqual([]);
  });

  it('is replaced and recorded as an unplanned fault with its recovery; dying again soon after errors the tier with the reason', async () => {
    let nowMicros = 5_000_000;
    let onExit: (reason: string) => void = () => undefined;
    const restarts: number[] = [];
    const runner = {
      ...fakeWorker(0, 0, [1]),
      onUnplannedExit: (listener: (reason: string) => void) => (onExit = listener),
      restart: async (now: () => number) => {
        restarts.push(now());
        return { killedAtMicros: now(), recoveryMicros: () => 2_500_000 };
      },
    };
    const errors: string[] = [];
    const supervised = superviseWorkers(
      {
        runners: [runner],
        specs: new Map([['streaming', {} as TierSpec]]),
        admin: {} as FaultContext['admin'],
        config: { kafka: { brokers: [] }, clock: { nowMicros: () => nowMicros } as FaultContext['config']['clock'] },
        startMicros: 1_000_000,
        onError: (tier, error) => errors.push(`${tier}: ${error}`),
      },
      async () => ({ accepted: 0, rejected: 0 }),
    );
    onExit('worker process 11 exited (SIGKILL) before it stopped');
    await tick();
    expect(restarts).toEqual([5_000_000]);
    expect(supervised.records()).toEqual([{ spec: 'exit:streaming@4.0s', tier: 'streaming', atMicros: 5_000_000, recoveryMicros: 2_500_000, unplanned: true }]);
    expect(errors).toEqual([]);

    // Within the crash-loop window of the replacement: not replaced again, and the tier says why.
    nowMicros += (crashLoopWindowMs - 1_000) * 1000;
    onExit('worker process 12 exited (SIGKILL) before it stopped');
    await tick();
    expect(restarts).toHaveLength(1);
    expect(errors).toEqual([
      'streaming: its worker died again 29.0 s after it was replaced, so it was not replaced again: worker process 12 exited (SIGKILL) before it stopped',
    ]);
  });

  it('past the crash-loop window, is replaced again', async () => {
    let nowMicros = 0;
    let onExit: (reason: string) => void = () => undefined;
    let restarts = 0;
    const runner = {
      ...fakeWorker(0, 0, [1]),
      onUnplannedExit: (listener: (reason: string) => void) => (onExit = listener),
      restart: async (now: () => number) => ({ killedAtMicros: now(), recoveryMicros: () => (restarts++, undefined) }),
    };
    const supervised = superviseWorkers(
      {
        runners: [runner],
        specs: new Map([['streaming', {} as TierSpec]]),
        admin: {} as FaultContext['admin'],
        config: { kafka: { brokers: [] }, clock: { nowMicros: () => nowMicros } as FaultContext['config']['clock'] },
        startMicros: 0,
        onError: (tier, error) => expect.fail(`${tier}: ${error}`),
      },
      async () => ({ accepted: 0, rejected: 0 }),
    );
    onExit('first');
    await tick();
    nowMicros += (crashLoopWindowMs + 1) * 1000;
    onExit('second');
    await tick();
    expect(supervised.records().map((record) => [record.spec, record.recoveryMicros])).toEqual([
      ['exit:streaming@0.0s', null],
      ['exit:streaming@30.0s', null],
    ]);
  });
});
