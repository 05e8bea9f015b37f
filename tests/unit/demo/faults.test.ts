import { describe, expect, it } from 'vitest';
import { FaultGate, faultTarget, type FaultAnswer } from '../../../src/demo/fault-gate.ts';
import { FaultSettle, maxSettleMs } from '../../../src/demo/fault-settle.ts';
import { requestFault } from '../../../src/demo/page/faults.ts';
import type { RunProgress } from '../../../src/harness/run-tiers.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the fault gate (one fault in flight per tier or service)', () => {
  it('names what a fault hits', () => {
    expect(faultTarget('kill:streaming')).toBe('the streaming worker');
    expect(faultTarget('broker-restart')).toBe('the Kafka broker');
    expect(faultTarget('rm -rf /')).toBeUndefined();
  });

  it('refuses a second fault on a target until the first settles, and lets other targets through', async () => {
    const gate = new FaultGate();
    const asked: string[] = [];
    const settles = new Map<string, ReturnType<typeof deferred>>();
    const inject = (spec: string): FaultAnswer => {
      asked.push(spec);
      const done = deferred();
      settles.set(spec, done);
      return { injected: done.promise };
    };
    expect(gate.run('kill:streaming', inject)).toEqual({ status: 202, message: 'injected kill:streaming' });
    expect(gate.run('kill:streaming', inject)).toEqual({ status: 409, message: 'kill:streaming is still in flight on the streaming worker: one fault at a time there' });
    expect(gate.run('kill:batch', inject).status).toBe(202);
    expect(gate.run('broker-restart', inject).status).toBe(202);
    expect(gate.run('broker-restart', inject).status).toBe(409);
    expect(asked).toEqual(['kill:streaming', 'kill:batch', 'broker-restart']);
    settles.get('kill:streaming')!.resolve();
    await tick();
    expect(gate.run('kill:streaming', inject).status).toBe(202);
    expect(gate.inFlight).toBe(3);
  });

  it('holds nothing for a fault the run refused, and frees a target whose fault failed', async () => {
    const gate = new FaultGate();
    expect(gate.run('kill:streaming', () => ({ refused: 'no measured stream is running now' }))).toEqual({ status: 409, message: 'no measured stream is running now' });
    expect(gate.inFlight).toBe(0);
    expect(gate.run('kill:streaming', () => ({ injected: Promise.reject(new Error('gone')) })).status).toBe(202);
    await tick();
    expect(gate.inFlight).toBe(0);
  });
});

const progress = (visible: Record<string, number>): RunProgress => ({
  phase: 'generating',
  produced: 1_000,
  generatorLagMicros: 0,
  tiers: Object.entries(visible).map(([name, v]) => ({ name: name as 'streaming', state: 'running', visible: v })),
});

describe('when a page fault has been seen through', () => {
  const settled = (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => (done = true));
    return async () => (await tick(), done);
  };

  it('a kill: once its tier has made visible more than before it, counting the killed worker\'s last report as before', async () => {
    const watch = new FaultSettle();
    watch.observe(progress({ streaming: 100, batch: 5 }), 'p', 0);
    const done = settled(watch.begin(['streaming'], 10));
    // The first report after the fault still carries the old worker's last count.
    watch.observe(progress({ streaming: 120, batch: 5 }), 'p', 500);
    expect(await done()).toBe(false);
    // The replacement starts from what was committed, below that...
    watch.observe(progress({ streaming: 110, batch: 9 }), 'p', 1_500);
    expect(await done()).toBe(false);
    // ...and is through once it is past it.
    watch.observe(progress({ streaming: 121, batch: 9 }), 'p', 2_500);
    expect(await done()).toBe(true);
  });

  it('a broker restart: once every tier of the pass has', async () => {
    const watch = new FaultSettle();
    watch.observe(progress({ streaming: 100, batch: 5 }), 'p', 0);
    const done = settled(watch.begin('pass', 10));
    watch.observe(progress({ streaming: 100, batch: 5 }), 'p', 500);
    watch.observe(progress({ streaming: 150, batch: 5 }), 'p', 1_500);
    expect(await done()).toBe(false);
    watch.observe(progress({ streaming: 150, batch: 6 }), 'p', 2_500);
    expect(await done()).toBe(true);
  });

  it('or when its pass ends, the run ends, or the longest hold has passed', async () => {
    const watch = new FaultSettle();
    watch.observe(progress({ streaming: 100 }), 'p1', 0);
    const passEnded = settled(watch.begin(['streaming'], 0));
    watch.observe(progress({ streaming: 0 }), 'p2', 100);
    expect(await passEnded()).toBe(true);
    const timedOut = settled(watch.begin(['streaming'], 100));
    watch.observe(progress({ streaming: 0 }), 'p2', 100 + maxSettleMs - 1);
    expect(await timedOut()).toBe(false);
    watch.observe(progress({ streaming: 0 }), 'p2', 100 + maxSettleMs);
    expect(await timedOut()).toBe(true);
    const runEnded = settled(watch.begin(['streaming'], 0));
    watch.settleAll();
    expect(await runEnded()).toBe(true);
  });
});

describe("the page's fault button", () => {
  it('sends the token, stays disabled while its request is pending, and sends nothing on a second click', async () => {
    const button = { disabled: false };
    const said: string[] = [];
    const answer = deferred();
    const sent: Array<{ url: string; init: { method: string; body: string; headers: Record<string, string> } }> = [];
    const io = {
      token: 'tok-123',
      say: (text: string) => said.push(text),
      fetch: async (url: string, init: { method: string; body: string; headers: Record<string, string> }) => {
        sent.push({ url, init });
        await answer.promise;
        return { text: async () => 'injected kill:streaming\n' };
      },
    };
    const first = requestFault(button, 'kill:streaming', io);
    expect(button.disabled).toBe(true);
    await requestFault(button, 'kill:streaming', io);
    expect(sent).toEqual([{ url: '/api/fault', init: { method: 'POST', body: 'kill:streaming', headers: { 'x-tierlab-token': 'tok-123' } } }]);
    answer.resolve();
    await first;
    expect(button.disabled).toBe(false);
    expect(said).toEqual(['asking for kill:streaming…', 'injected kill:streaming']);
  });

  it('is enabled again when the demo cannot be reached', async () => {
    const button = { disabled: false };
    const said: string[] = [];
    await requestFault(button, 'broker-restart', { token: 't', say: (text) => said.push(text), fetch: () => Promise.reject(new Error('offline')) });
    expect(button.disabled).toBe(false);
    expect(said.at(-1)).toBe('could not reach the demo: Error: offline');
  });
});
