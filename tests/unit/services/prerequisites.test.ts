import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTierlabError, type TierlabError } from '../../../src/errors.ts';
import { ensureClasspath, kafkaClasspath } from '../../../src/services/native/classpaths.ts';
import type { CommandRunner } from '../../../src/services/native/commands.ts';
import { detectJava, parseJavaMajor } from '../../../src/services/native/java.ts';
import { assertPortFree, parsePort } from '../../../src/services/ports.ts';
import { provisionServices } from '../../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../../src/services/settings.ts';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tierlab-unit-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const enoent: CommandRunner = async (command) => {
  throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
};

async function rejection(promise: Promise<unknown>): Promise<TierlabError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTierlabError(error)) throw new Error(`expected a TierlabError, got ${String(error)}`);
  return error;
}

describe('Java detection', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['nonsense', 0],
  ])('reads the major version of %s', (line, major) => {
    expect(parseJavaMajor(line)).toBe(major);
  });

  it('names the missing command and what to install', async () => {
    const error = await rejection(detectJava(enoent, undefined));
    expect(error.code).toBe('PREREQUISITE_MISSING');
    expect(error.message).toContain('Java was not found (tried "java")');
    expect(error.message).toContain('Maven');
  });

  it('refuses a Java older than 17, saying which it found', async () => {
    const java8: CommandRunner = async () => ({ code: 0, stdout: '', stderr: 'java version "1.8.0_392"\n' });
    const error = await rejection(detectJava(java8, '/opt/jdk8'));
    expect(error.message).toContain('"/opt/jdk8/bin/java" is java version "1.8.0_392"');
  });
});

describe('ports', () => {
  it('names a port that is taken', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await rejection(assertPortFree(port, '127.0.0.1', 'the Kafka broker'));
      expect(error.code).toBe('PORT_IN_USE');
      expect(error.message).toContain(`port ${port} on 127.0.0.1 is already in use; the Kafka broker needs it`);
    } finally {
      server.close();
    }
  });

  it('rejects a port that is not a number, naming the setting', () => {
    expect(() => parsePort('90x', 'TIERLAB_KAFKA_PORT')).toThrow('TIERLAB_KAFKA_PORT must be a port number from 1 to 65535 (got "90x")');
    expect(() => parsePort('70000', '--s3-port')).toThrow('(got "70000")');
  });
});

describe('jar cache', () => {
  it('fetches once with Maven, then serves from the cache', async () => {
    const cache = await tempDir();
    const calls: string[][] = [];
    const fakeMaven: CommandRunner = async (command, args, options) => {
      calls.push([command, ...args]);
      const outputDir = args.find((a) => a.startsWith('-DoutputDirectory='))!.split('=')[1]!;
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(outputDir, { recursive: true });
      await writeFile(join(outputDir, 'kafka_2.13-4.3.1.jar'), 'x'.repeat(10));
      expect(await readFile(join(options!.cwd!, 'pom.xml'), 'utf8')).toContain('<artifactId>kafka_2.13</artifactId>');
      return { code: 0, stdout: '', stderr: '' };
    };
    const first = await ensureClasspath(kafkaClasspath, cache, fakeMaven);
    const second = await ensureClasspath(kafkaClasspath, cache, fakeMaven);
    expect(first.downloaded).toBe(true);
    expect(second.downloaded).toBe(false);
    expect(second).toMatchObject({ jarCount: 1, bytes: 10 });
    expect(calls).toHaveLength(1);
    // A jar whose checksum does not match the repository's fails the fetch instead of being used.
    expect(calls[0]!.slice(0, 4)).toEqual(['mvn', '-B', '-q', '--strict-checksums']);
    expect(await readdir(join(cache, kafkaClasspath.name))).toContain('.complete');
  });

  it('reports a failed fetch with Maven\'s own words, and fetches again next time', async () => {
    const cache = await tempDir();
    const failing: CommandRunner = async () => ({ code: 1, stdout: '[ERROR] Could not resolve dependencies', stderr: '' });
    const error = await rejection(ensureClasspath(kafkaClasspath, cache, failing));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('org.apache.kafka:kafka_2.13:4.3.1');
    expect(error.message).toContain('Could not resolve dependencies');
    expect(await readdir(join(cache, kafkaClasspath.name))).not.toContain('.complete');
  });
});

describe('provisioning order', () => {
  it('says what to install when neither docker nor Java can be had', async () => {
    const settings = serviceSettingsFrom({ TIERLAB_CACHE_DIR: await tempDir() });
    const error = await rejection(
      provisionServices({ mode: 'auto', ownership: 'session', settings, env: {}, run: enoent, dockerProbe: async () => false }),
    );
    expect(error.code).toBe('PREREQUISITE_MISSING');
    expect(error.message).toContain('no container runtime answers');
    expect(error.message).toContain('Install Docker, or Java 17+ with Maven');
  });

  it('refuses --mode docker at once when no runtime answers', async () => {
    const settings = serviceSettingsFrom({});
    const error = await rejection(
      provisionServices({ mode: 'docker', ownership: 'session', settings, env: {}, dockerProbe: async () => false }),
    );
    expect(error.message).toContain('no container runtime answers');
  });

  it('refuses --mode external without the endpoints', async () => {
    const error = await rejection(provisionServices({ mode: 'external', ownership: 'session', settings: serviceSettingsFrom({}), env: {} }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain('KAFKA_BROKERS and S3_ENDPOINT');
  });
});
