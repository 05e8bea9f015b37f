import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { identify, stillTheSame, type ProcReader } from '../../../src/services/native/identity.ts';
import { ownedPids, type ServicesState } from '../../../src/services/state.ts';

const stateWith = (pids: number[], processes: ServicesState['processes']): ServicesState =>
  ({ version: 1, mode: 'native', pids, ...(processes ? { processes } : {}) }) as unknown as ServicesState;

describe("a stored server pid is signalled only while it is still ours (issue 19, item 4)", () => {
  it('reads the start time after a command name with spaces and parentheses, and the command line', async () => {
    const read: ProcReader = async (path) =>
      path.endsWith('/stat') ? '4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 5 6 0 0 20 0 30 0 987654 1000 100' : 'java\0-cp\0lib/*\0kafka.Kafka\0';
    expect(await identify(4242, read)).toEqual({ pid: 4242, startTicks: 987654, cmdline: 'java -cp lib/* kafka.Kafka' });
  });

  it('knows a pid by its start time and command line, and a reused pid as another process', async () => {
    const child = spawn('sleep', ['30']);
    try {
      const pid = child.pid!;
      const identity = (await identify(pid))!;
      expect(identity.cmdline).toBe('sleep 30');
      expect(await stillTheSame(identity)).toBe(true);
      // The same pid started at another time, or running another command: someone else's.
      expect(await stillTheSame({ ...identity, startTicks: identity.startTicks + 1 })).toBe(false);
      expect(await stillTheSame({ ...identity, cmdline: 'java kafka.Kafka' })).toBe(false);

      const { owned, strangers } = await ownedPids(stateWith([pid], [{ ...identity, startTicks: identity.startTicks - 5, cmdline: 'java kafka.Kafka' }]));
      expect(owned).toEqual([]);
      expect(strangers).toEqual([`pid ${pid} is no longer the server started as "java kafka.Kafka"`]);
      expect(await ownedPids(stateWith([pid], [identity]))).toEqual({ owned: [pid], strangers: [] });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes a gone process for not ours, and keeps a state file without identities working as before', async () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    const identity = (await identify(pid))!;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    expect(await stillTheSame(identity)).toBe(false);
    expect((await ownedPids(stateWith([pid], [identity]))).owned).toEqual([]);
    // Written by an older tierlab: the pid alone, signalled while alive.
    expect(await ownedPids(stateWith([process.pid], undefined))).toEqual({ owned: [process.pid], strangers: [] });
  });
});
