import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAdviseCommand } from '../../../src/cli/advise.ts';
import { registerFloorCommand } from '../../../src/cli/floor.ts';
import { registerGenerateCommand } from '../../../src/cli/generate.ts';
import { registerRunCommands } from '../../../src/cli/run.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import { registerServicesCommand } from '../../../src/cli/services.ts';
import { isTierlabError, TierlabError } from '../../../src/errors.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import { parseExternalConfig } from '../../../src/services/external.ts';
import { serviceSettingsFrom } from '../../../src/services/settings.ts';

const io: CliIo = { env: {}, out: () => undefined, err: () => undefined };
const notCalled = async (): Promise<never> => {
  throw new Error('the command went past its flags');
};

/** The error a command fails with. Its flags are read first; a name that does not exist then stops it. */
async function failure(args: string[]): Promise<TierlabError> {
  const program = new Command('tierlab').exitOverride();
  registerGenerateCommand(program, { io, kafka: notCalled, isTty: false });
  registerRunCommands(program, io, false);
  registerFloorCommand(program, io);
  registerAdviseCommand(program, io);
  const error = await program.parseAsync(args, { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TierlabError);
  return error as TierlabError;
}

/** Passed its flags: the next thing it did was to look for a dataset or scenario that does not exist. */
async function accepted(args: string[]): Promise<void> {
  expect(isTierlabError(await failure(args), 'UNKNOWN_NAME')).toBe(true);
}

async function rejected(args: string[], message: string): Promise<void> {
  const error = await failure(args);
  expect(error.code).toBe('BAD_INPUT');
  expect(error.message).toContain(message);
}

const generate = (...flags: string[]) => ['generate', '--dataset', 'no-such-dataset', '--seed', '1', '--to', 'file', ...flags];

describe('flags have upper bounds, and a value past one is named', () => {
  it('generate --count: up to 1e9', async () => {
    await accepted(generate('--count', '1000000000'));
    await rejected(generate('--count', '1000000001'), '--count must be a whole number from 1 to 1000000000 (got "1000000001")');
  });

  it('generate --rate: up to 1,000,000 events/s', async () => {
    await accepted(generate('--count', '10', '--rate', '1000000'));
    await rejected(generate('--count', '10', '--rate', '1000000.5'), '--rate must be a number > 0 and at most 1000000 (got "1000000.5")');
  });

  it('generate --partitions: up to 1,000', async () => {
    await accepted(generate('--count', '10', '--partitions', '1000'));
    await rejected(generate('--count', '10', '--partitions', '1001'), '--partitions must be a whole number from 1 to 1000 (got "1001")');
  });

  it('run and tier --repeat: up to 20', async () => {
    await accepted(['run', 'no-such-scenario', '--repeat', '20']);
    await rejected(['run', 'no-such-scenario', '--repeat', '21'], '--repeat must be a whole number from 1 to 20 (got "21")');
    await rejected(['tier', 'streaming', '--scenario', 'no-such-scenario', '--repeat', '21'], '(got "21")');
  });

  it('floor --rate and advise --rate: up to 1,000,000 events/s', async () => {
    await accepted(['floor', '--scenario', 'no-such-scenario', '--rate', '1000000']);
    await rejected(['floor', '--scenario', 'no-such-scenario', '--rate', '2000000'], '--rate must be a number > 0 and at most 1000000 (got "2000000")');
    await accepted(['advise', '--scenario', 'no-such-scenario', '--sla', '1s', '--rate', '1000000']);
    await rejected(['advise', '--scenario', 'no-such-scenario', '--sla', '1s', '--rate', '1e7'], '(got "1e7")');
  });
});

describe('scenario files have upper bounds on partitions and rate', () => {
  const dir = mkdtemp(join(tmpdir(), 'tierlab-bounds-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));
  const demoRate = 'rate: { kind: constant, ratePerSec: 2000 }';

  async function scenario(name: string, edit: (text: string) => string): Promise<string> {
    const demo = await readFile(new URL('../../../bench/scenarios/demo.yaml', import.meta.url), 'utf8');
    expect(demo).toContain(demoRate);
    expect(demo).toMatch(/^partitions: 6$/m);
    const path = join(await dir, `${name}.yaml`);
    await writeFile(path, edit(demo));
    return path;
  }

  it('partitions: up to 1,000', async () => {
    expect((await loadScenario(await scenario('p1000', (t) => t.replace(/^partitions: 6$/m, 'partitions: 1000')))).partitions).toBe(1000);
    const path = await scenario('p1001', (t) => t.replace(/^partitions: 6$/m, 'partitions: 1001'));
    await expect(loadScenario(path)).rejects.toThrow(`${path}: /partitions must be <= 1000 (got 1001)`);
  });

  it('ratePerSec: up to 1,000,000, in each kind of rate and in quick', async () => {
    const top = await scenario('r1e6', (t) => t.replace(demoRate, 'rate: { kind: constant, ratePerSec: 1000000 }'));
    expect((await loadScenario(top)).rate.ratePerSec).toBe(1_000_000);
    const over = await scenario('r-over', (t) => t.replace(demoRate, 'rate: { kind: bursts, ratePerSec: 1000001, factor: 2, burstSec: 5, everySec: 20 }'));
    await expect(loadScenario(over)).rejects.toThrow(`${over}: /rate/ratePerSec must be <= 1000000 (got 1000001)`);
    const quick = await scenario('r-quick', (t) => t.replace('quick:\n', 'quick:\n  rate: { kind: diurnal, ratePerSec: 5000000, amplitude: 0.5, periodSec: 60 }\n'));
    await expect(loadScenario(quick)).rejects.toThrow('/quick/rate/ratePerSec must be <= 1000000 (got 5000000)');
  });
});

describe('ports are 1 to 65535, including the ones tierlab derives', () => {
  it('a Kafka port leaves room for its controller on the next port', () => {
    expect(serviceSettingsFrom({ TIERLAB_KAFKA_PORT: '65534' }).kafkaControllerPort).toBe(65535);
    expect(() => serviceSettingsFrom({ TIERLAB_KAFKA_PORT: '65535' })).toThrow(
      'TIERLAB_KAFKA_PORT 65535 leaves no port for the Kafka controller, which takes the next one (65536): choose at most 65534 or set TIERLAB_KAFKA_CONTROLLER_PORT',
    );
    expect(serviceSettingsFrom({ TIERLAB_KAFKA_PORT: '65535', TIERLAB_KAFKA_CONTROLLER_PORT: '9093' }).kafkaControllerPort).toBe(9093);
  });

  it('services up --kafka-port 65535 is refused before anything starts', async () => {
    const program = new Command('tierlab').exitOverride();
    registerServicesCommand(program, { ...io, env: { TIERLAB_CACHE_DIR: join(tmpdir(), 'tierlab-bounds-none') } });
    await expect(program.parseAsync(['services', 'up', '--kafka-port', '65535'], { from: 'user' })).rejects.toThrow(
      '--kafka-port 65535 leaves no port for the Kafka controller, which takes the next one (65536)',
    );
  });

  it('KAFKA_BROKERS ports', () => {
    const env = (brokers: string) => ({ KAFKA_BROKERS: brokers, S3_ENDPOINT: 'http://s3.test:9000' });
    expect(parseExternalConfig(env('b1:1,b2:65535'))?.kafka.brokers).toEqual(['b1:1', 'b2:65535']);
    expect(() => parseExternalConfig(env('b1:9092,b2:65536'))).toThrow('KAFKA_BROKERS entry "b2:65536" has port 65536; a port is 1 to 65535');
    expect(() => parseExternalConfig(env('b:0'))).toThrow('KAFKA_BROKERS entry "b:0" has port 0; a port is 1 to 65535');
  });
});
