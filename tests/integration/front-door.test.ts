import { spawn } from 'node:child_process';
import { access, chmod, copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packageVersion } from '../../src/cli/version.ts';
import { machineEnvironment } from '../../src/services/machine.ts';
import { provisionServices } from '../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { bin, runCli } from './cli.ts';
import { findOldNode } from './old-node.ts';

/**
 * The front door of issue 12: `npx tierlab` on a Node too old for the TypeScript CLI. This
 * machine's /usr/bin/node is Node 20; TIERLAB_OLD_NODE names another; where neither is old
 * enough, Node 20 is installed from the npm registry (old-node.ts). Never skipped.
 */
const { path: oldNode, version: oldVersion, source: oldSource } = await findOldNode();

/** The Node release scripts/env.sh installs on this platform, from its pin (scripts/node24/PLATFORM). */
const pinnedNode = Object.values(
  (JSON.parse(await readFile(new URL(`../../scripts/node24/${process.platform}-${process.arch}/package.json`, import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies,
)[0]!;

/** The first `name` on PATH. */
async function onPath(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error(`no ${name} on PATH (${process.env.PATH})`);
}

const stackTrace = /^\s+at .+:\d+:\d+\)?$|ERR_UNKNOWN_FILE_EXTENSION|node:internal/m;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runBin(args: string[], env: Record<string, string> = {}, whileRunning?: (pid: number) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(oldNode, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (whileRunning && !signalled && stdout.includes('ready')) {
        signalled = true;
        whileRunning(child.pid!);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe(`bin/tierlab.js on ${oldNode} (${oldVersion}, from ${oldSource})`, () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'tierlab-front-door-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('prints the version, re-run on the cached Node 24, with no stack trace', async () => {
    const ran = await runBin(['--version']);
    expect(ran.stderr).not.toMatch(stackTrace);
    expect(ran.stdout).toBe(`${packageVersion()}\n`);
    expect(ran.code).toBe(0);
  });

  it('says in one line what to run when there is no cached Node', async () => {
    const ran = await runBin(['--version'], { TIERLAB_CACHE_DIR: join(scratch, 'empty-cache') });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.trimEnd().split('\n')).toEqual([
      `tierlab: Node ${oldVersion} is older than 22.22, which tierlab needs; run \`npm run tierlab -- --version\` in tierlab's folder once (it installs Node ${pinnedNode} into ${join(scratch, 'empty-cache', `node-${pinnedNode}`)}), or use Node >= 22.22`,
    ]);
  });

  describe('with a stand-in for the cached Node', () => {
    // A shell script in the cached Node's place shows what the re-run receives and how its end is passed back.
    let cache: string;
    beforeAll(async () => {
      cache = join(scratch, 'stand-in');
      const dir = join(cache, `node-${pinnedNode}`, 'node_modules', '.bin');
      await mkdir(dir, { recursive: true });
      const script = [
        '#!/bin/sh',
        'shift', // the bin's own path
        'printf "arg=%s\\n" "$@"',
        'trap \'echo "got TERM"; exit 7\' TERM',
        'case "$1" in',
        '  exit) exit "$2" ;;',
        '  die) trap - TERM; kill -TERM $$ ;;',
        'esac',
        'echo ready',
        'while :; do sleep 0.05; done',
      ].join('\n');
      await writeFile(join(dir, 'node'), `${script}\n`);
      await chmod(join(dir, 'node'), 0o755);
    });

    it('passes the arguments through unchanged and returns the exit code', async () => {
      const ran = await runBin(['exit', '42', 'two words', '--flag=x'], { TIERLAB_CACHE_DIR: cache });
      expect(ran.stdout).toBe('arg=exit\narg=42\narg=two words\narg=--flag=x\n');
      expect(ran.code).toBe(42);
    });

    it('passes SIGTERM on, and waits for the re-run to end', async () => {
      const ran = await runBin(['wait'], { TIERLAB_CACHE_DIR: cache }, (pid) => process.kill(pid, 'SIGTERM'));
      expect(ran.stdout).toContain('got TERM');
      expect(ran.code).toBe(7);
    });

    it('ends by the signal the re-run ended by', async () => {
      const ran = await runBin(['die'], { TIERLAB_CACHE_DIR: cache });
      expect(ran.signal).toBe('SIGTERM');
    });
  });

  it('in a clone with no dependencies yet: npx warns of no engine, and the front door has scripts/node.sh install them', async () => {
    // The package's own files, no node_modules, and a stand-in scripts/node.sh that shows what it is handed.
    const clone = join(scratch, 'fresh-clone');
    await mkdir(join(clone, 'bin'), { recursive: true });
    await mkdir(join(clone, 'scripts'), { recursive: true });
    for (const file of ['package.json', 'package-lock.json', 'bin/tierlab.js']) await copyFile(new URL(`../../${file}`, import.meta.url), join(clone, file));
    await writeFile(join(clone, 'scripts', 'node.sh'), '#!/usr/bin/env bash\necho "node.sh $*"\n');
    const npxCli = join(dirname(await realpath(await onPath('npm'))), 'npx-cli.js');
    const ran = await new Promise<Ran>((resolve) => {
      const child = spawn(oldNode, [npxCli, '--no-install', 'tierlab', '--version'], {
        cwd: clone,
        env: { ...process.env, PATH: `${dirname(oldNode)}${delimiter}${process.env.PATH}`, npm_config_update_notifier: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(ran.stderr).not.toContain('EBADENGINE');
    expect(ran.stdout).toBe(`node.sh ${join(clone, 'src', 'cli', 'main.ts')} --version\n`);
    expect(ran.code).toBe(0);
  });

  it('shows external services through the front door, on the old Node', async () => {
    const ran = await runCli(['services', 'status'], { viaBin: { node: oldNode } });
    expect(ran.stderr).not.toMatch(stackTrace);
    expect(ran.stdout).toContain('mode: external (KAFKA_BROKERS, S3_ENDPOINT)');
    expect(ran.code).toBe(0);
  });
});

describe('tierlab services status with KAFKA_BROKERS and S3_ENDPOINT', () => {
  const { kafka, s3, mode } = inject('services');

  it('shows the endpoints, that they answer, and the Kafka version the broker supports', async () => {
    const ran = await runCli(['services', 'status']);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('mode: external (KAFKA_BROKERS, S3_ENDPOINT)');
    expect(lines[2]).toMatch(new RegExp(`^Apache Kafka \\(external\\)\\s+at least \\d+\\.\\d+\\s+${kafka.brokers.join(',')}\\s+yes: `));
    expect(lines[3]).toMatch(new RegExp(`\\s${s3.endpoint.replace(/[.:/]/g, '\\$&')}\\s+yes: `));
    expect(lines[4]).toMatch(/^kafka version: at least \d+\.\d+: ApiVersions: /);
    // The servers tierlab starts are the pinned Kafka 4.3.1; a user's own (external) may be any release.
    if (mode !== 'external') expect(lines[4]).toContain('at least 4.3: ApiVersions: the broker supports metadata.version up to 4.3-IV0');
  });

  it('says which server does not answer, exits 1, and gives the reason the version is unknown', async () => {
    const ran = await runCli(['services', 'status'], { env: { KAFKA_BROKERS: '127.0.0.1:1' } });
    expect(ran.code).toBe(1);
    expect(ran.stderr).not.toMatch(stackTrace);
    expect(ran.stdout).toMatch(/^Apache Kafka \(external\)\s+unknown\s+127\.0\.0\.1:1\s+NO: /m);
    expect(ran.stdout).toMatch(/^kafka version: unknown: ApiVersions failed: /m);
  });

  it('gives runs, and so their reports, the version from the same source', async () => {
    const env = {
      KAFKA_BROKERS: kafka.brokers.join(','),
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    };
    await using services = await provisionServices({ mode: 'auto', ownership: 'session', settings: serviceSettingsFrom(env), env });
    expect(services.mode).toBe('external');
    expect(services.kafka.description.version).toMatch(/^at least \d+\.\d+$/);
    // summary.json's environment.kafka and the capacity and floor files read the description.
    expect(machineEnvironment(services).kafka.version).toBe(services.kafka.description.version);
  });
});
