import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/events/index.ts';
import { assertFaultsInjectable } from '../../../src/harness/faults/availability.ts';
import { scheduleFaults } from '../../../src/harness/faults/schedule.ts';
import type { FaultContext } from '../../../src/harness/faults/types.ts';
import { parseFault } from '../../../src/harness/faults/spec.ts';
import { idleHealth, type TierRunner } from '../../../src/harness/tier-runner.ts';
import type { RestartableService, ServiceHandle, Services } from '../../../src/services/types.ts';
import type { TierName } from '../../../src/tiers/types.ts';
import { refusal } from '../thrown.ts';

function handle(restartable?: RestartableService): ServiceHandle<never> {
  const stop = async () => undefined;
  return {
    endpoint: undefined as never,
    description: { server: 'x', version: '1', endpoint: 'x', mode: 'native', startedAt: '', startMillis: 0 },
    health: async () => ({ ok: true, detail: '' }),
    stop,
    [Symbol.asyncDispose]: stop,
    ...(restartable ? { restartable } : {}),
  };
}

/** A server the test stops and starts: it records when each happened. */
function fakeServer(log: string[]) {
  let pid = 100;
  const times: { down?: number; up?: number } = {};
  const server: RestartableService = {
    get pid() {
      return pid;
    },
    async down() {
      times.down = systemClock.nowMicros();
      log.push('down');
    },
    async up() {
      times.up = systemClock.nowMicros();
      pid++;
      log.push('up');
    },
  };
  return { server, times };
}

/** A tier runner that answers a recovery watch with `recoverAfterMicros` past the time it was asked about, or never. */
function watchedRunner(name: TierName, recoverAfterMicros: number | undefined): TierRunner & { asked: number[] } {
  const since: Record<string, number> = {};
  const asked: number[] = [];
  return {
    asked,
    name,
    pid: 1,
    start: async () => undefined,
    measure: async () => undefined,
    stop: async () => ({ health: idleHealth(), latency: undefined as never, freshness: '', facts: {} }),
    health: () => ({ ...idleHealth(), visibleSince: { ...since } }),
    watchRecovery(sinceMicros) {
      asked.push(sinceMicros);
      if (recoverAfterMicros !== undefined) since[sinceMicros] = sinceMicros + recoverAfterMicros;
    },
  };
}

const services = (mode: Services['mode'], kafka?: RestartableService, s3?: RestartableService) => ({ mode, kafka: handle(kafka), s3: handle(s3) });

describe('which faults the services can take', () => {
  const restart = parseFault('broker-restart@15s');
  const outage = parseFault('s3-outage@10s+5s');

  it('refuses broker-restart and s3-outage where tierlab cannot stop the servers, naming the mode and why', () => {
    expect(refusal(() => assertFaultsInjectable([restart, outage], services('external')))).toBe(
      '--fault broker-restart@15s, s3-outage@10s+5s: unavailable with external services: tierlab does not run the servers at KAFKA_BROKERS and S3_ENDPOINT, so it never stops them. ' +
        'broker-restart and s3-outage need native services started by the run itself (TIERLAB_SERVICES_MODE=native, Java 17+ and Maven); kill:TIER@T works in every mode.',
    );
    expect(refusal(() => assertFaultsInjectable([outage], services('docker')))).toContain('--fault s3-outage@10s+5s: not supported with docker services yet');
    expect(refusal(() => assertFaultsInjectable([restart], services('native')))).toContain("unavailable with servers that 'tierlab services up' started");
  });

  it('accepts kills in every mode, and service faults where the server can be restarted', () => {
    const kill = parseFault('kill:streaming@12s');
    expect(() => assertFaultsInjectable([kill], services('external'))).not.toThrow();
    const { server } = fakeServer([]);
    expect(() => assertFaultsInjectable([kill, restart, outage], services('native', server, server))).not.toThrow();
    // Only the server a fault needs must be restartable.
    expect(() => assertFaultsInjectable([restart], services('native', server, undefined))).not.toThrow();
  });
});

describe('a service fault during a pass', () => {
  function context(runners: TierRunner[], faultServices: FaultContext['services'], errors: string[]): FaultContext {
    return {
      runners,
      specs: new Map(),
      admin: undefined as never,
      config: { kafka: { brokers: [] }, clock: systemClock },
      ...(faultServices ? { services: faultServices } : {}),
      startMicros: systemClock.nowMicros(),
      onError: (tier, error) => errors.push(`${tier}: ${error}`),
    };
  }

  it('stops the S3 server at T, starts it again D after the fault began, and records every tier of the pass', async () => {
    const log: string[] = [];
    const { server, times } = fakeServer(log);
    const errors: string[] = [];
    const runners = [watchedRunner('batch', 2_000_000), watchedRunner('streaming', 1_000)];
    const started = systemClock.nowMicros();
    const [injected] = await scheduleFaults([parseFault('s3-outage@30ms+80ms')], context(runners, { s3: server }, errors));
    expect(errors).toEqual([]);
    expect(log).toEqual(['down', 'up']);
    expect(times.down! - started).toBeGreaterThanOrEqual(25_000);
    const records = injected!.records();
    expect(records.map((r) => r.tier)).toEqual(['batch', 'streaming']);
    const at = records[0]!.atMicros;
    // The outage lasts D from the fault's start, however long the stop took.
    expect(times.up! - at).toBeGreaterThanOrEqual(75_000);
    // Recovery is watched from the moment the server was down, and runs from the fault's start.
    const [down] = runners[0]!.asked;
    expect(down).toBeGreaterThanOrEqual(times.down!);
    expect(runners[1]!.asked).toEqual([down]);
    expect(records[0]).toEqual({ spec: 's3-outage@30ms+80ms', tier: 'batch', atMicros: at, recoveryMicros: down! - at + 2_000_000, outageMicros: expect.any(Number) });
    expect(records[1]!.recoveryMicros).toBe(down! - at + 1_000);
    expect(records[0]!.outageMicros).toBeGreaterThanOrEqual(times.up! - at);
  });

  it('restarts the broker at once, and a tier that never made a result visible after it recovers never (null)', async () => {
    const log: string[] = [];
    const { server } = fakeServer(log);
    const [injected] = await scheduleFaults([parseFault('broker-restart@10ms')], context([watchedRunner('microbatch', undefined)], { kafka: server }, []));
    expect(log).toEqual(['down', 'up']);
    expect(injected!.records()).toEqual([expect.objectContaining({ spec: 'broker-restart@10ms', tier: 'microbatch', recoveryMicros: null })]);
  });

  it('fails every tier of the pass when the server does not come back', async () => {
    const errors: string[] = [];
    const broken: RestartableService = { pid: 1, down: async () => undefined, up: async () => Promise.reject(new Error('port taken')) };
    const [injected] = await scheduleFaults([parseFault('broker-restart@1ms')], context([watchedRunner('streaming', 5)], { kafka: broken }, errors));
    expect(errors).toEqual(['streaming: broker-restart@1ms: the kafka server could not be started again: port taken']);
    expect(injected!.records()[0]).not.toHaveProperty('outageMicros');
  });
});
