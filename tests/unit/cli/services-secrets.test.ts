import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerServicesCommand } from '../../../src/cli/services.ts';
import type { ExternalProbes } from '../../../src/services/external.ts';
import { serviceSettingsFrom, stateFilePath } from '../../../src/services/settings.ts';
import { maskSecrets, redactUrl } from '../../../src/services/secrets.ts';
import { writeState, type ServicesState } from '../../../src/services/state.ts';

const dir = await mkdtemp(join(tmpdir(), 'tierlab-secrets-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined; // `services status` sets 1 for a server that does not answer
});

const secrets = { sasl: 'kafka-pw-123', s3: 's3-secret-456', inUrl: 'url-secret-789', warehouse: 'pg-secret-012' };

/** External servers with every kind of secret: a SASL password, an S3 secret key, a password in the endpoint URL. */
const env = {
  TIERLAB_CACHE_DIR: dir,
  KAFKA_BROKERS: 'k1.test:9092',
  KAFKA_SASL_MECHANISM: 'plain',
  KAFKA_SASL_USERNAME: 'lab',
  KAFKA_SASL_PASSWORD: secrets.sasl,
  S3_ENDPOINT: `http://minio:${secrets.inUrl}@s3.test:9000`,
  S3_ACCESS_KEY_ID: 'minio',
  S3_SECRET_ACCESS_KEY: secrets.s3,
};

/** Servers that answer; their details echo what they were given, as a client's error message may. */
function probes(s3Ok = true): ExternalProbes {
  return {
    kafkaHealth: async (kafka) => ({ ok: true, detail: `1 broker(s) as ${kafka.sasl?.username}/${kafka.sasl?.password}` }),
    s3Health: async (s3) => ({ ok: s3Ok, detail: `${s3.endpoint} with key ${s3.secretAccessKey}` }),
    kafkaVersion: async () => ({ state: 'known', version: 'at least 4.3', basis: 'ApiVersions' }),
    s3Server: async () => 'MinIO',
    warehouse: async (pg) => ({ ok: true, detail: `PostgreSQL 16.4 as ${pg.user}/${pg.password}`, version: '16.4' }),
  };
}

async function services(args: string[], s3Ok = true, extraEnv: Record<string, string> = {}): Promise<string> {
  const lines: string[] = [];
  const program = new Command('tierlab').exitOverride();
  registerServicesCommand(program, { env: { ...env, ...extraEnv }, out: (line) => lines.push(line), err: (line) => lines.push(line) }, probes(s3Ok));
  await program.parseAsync(['services', ...args], { from: 'user' });
  return lines.join('\n');
}

function expectNoSecret(text: string): void {
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
}

describe('services up with external servers and credentials', () => {
  const statePath = stateFilePath(serviceSettingsFrom(env));

  it('writes the state file only its owner can read, fixing the mode of one left readable, and keeps the secrets in it', async () => {
    await mkdir(join(dir, 'services'), { recursive: true });
    await writeFile(statePath, 'left by an older tierlab\n');
    await chmod(statePath, 0o644);
    const printed = await services(['up', '--mode', 'external']);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    // Later commands attach with these credentials, so the file has them: hence the mode.
    const state = JSON.parse(await readFile(statePath, 'utf8')) as ServicesState;
    expect(state.kafka.endpoint.sasl?.password).toBe(secrets.sasl);
    expect(state.s3.endpoint.secretAccessKey).toBe(secrets.s3);
    expect(printed).toContain('mode: external');
    expectNoSecret(printed);
  });

  it('never prints a secret in the status of external servers, answering or not', async () => {
    for (const s3Ok of [true, false]) {
      const printed = await services(['status'], s3Ok);
      expect(printed).toContain('s3.test:9000');
      expectNoSecret(printed);
    }
  });
});

describe('the warehouse with external servers', () => {
  const statePath = stateFilePath(serviceSettingsFrom(env));
  const warehouseUrl = { WAREHOUSE_URL: `postgres://lab:${secrets.warehouse}@pg.test:6543/dw` };

  it("is WAREHOUSE_URL's, kept in the state with its password and never printed with it", async () => {
    const printed = await services(['up', '--mode', 'external'], true, warehouseUrl);
    const state = JSON.parse(await readFile(statePath, 'utf8')) as ServicesState;
    expect(state.warehouse?.endpoint).toMatchObject({ host: 'pg.test', port: 6543, database: 'dw', password: secrets.warehouse });
    expect(printed).toMatch(/PostgreSQL \(external\)\s+16\.4\s+pg\.test:6543\/dw/);
    expectNoSecret(printed);
    const status = await services(['status'], true, warehouseUrl);
    expect(status).toContain('warehouse: PostgreSQL (external) 16.4 at pg.test:6543/dw: ok');
    expectNoSecret(status);
  });

  it('is not available, and says why, when WAREHOUSE_URL is not set: Kafka and S3 are up all the same', async () => {
    const printed = await services(['up', '--mode', 'external']);
    expect(printed).toContain('warehouse (PostgreSQL): not available: WAREHOUSE_URL is not set');
    expect(printed).toContain('mode: external');
    expect((JSON.parse(await readFile(statePath, 'utf8')) as ServicesState).warehouse).toBeUndefined();
  });
});

describe('the state file', () => {
  it('is written with mode 0600, also over an existing file that others could read', async () => {
    const path = join(dir, 'state-only', 'services.json');
    const state: ServicesState = {
      version: 1,
      mode: 'external',
      kafka: { endpoint: { brokers: ['k:1'] }, description: { server: 'k', version: 'v', endpoint: 'k:1', mode: 'external', startedAt: '', startMillis: 0 } },
      s3: {
        endpoint: { endpoint: 'http://s:1', region: 'r', accessKeyId: 'a', secretAccessKey: secrets.s3 },
        description: { server: 's', version: 'v', endpoint: 'http://s:1', mode: 'external', startedAt: '', startMillis: 0 },
      },
      pids: [],
    };
    await writeState(path, state);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await chmod(path, 0o644);
    await writeState(path, state);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(state);
  });
});

describe('masking', () => {
  it('masks a password in a URL and leaves a URL without one as it was', () => {
    expect(redactUrl('http://minio:p%40ss@s3.test:9000')).toBe('http://minio:****@s3.test:9000');
    expect(redactUrl('https://s3.example.test')).toBe('https://s3.example.test');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('masks each secret, also URL-encoded, and the longer of two that overlap whole', () => {
    expect(maskSecrets('p@ss at http://u:p%40ss@h and pass-word', ['p@ss', 'pass-word', 'pass'])).toBe('**** at http://u:****@h and ****');
  });
});
