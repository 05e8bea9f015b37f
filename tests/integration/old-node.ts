import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serviceSettingsFrom } from '../../src/services/settings.ts';

const run = promisify(execFile);

/** The Node line the front-door tests stand on: older than the 22.22 tierlab needs, still maintained by npm's `node` package. */
const oldLine = '20';

export interface OldNode {
  path: string;
  version: string;
  /** Where it came from: the machine, the TIERLAB_OLD_NODE given, or the npm registry (installed by this test). */
  source: string;
}

async function versionOf(path: string): Promise<string | undefined> {
  try {
    return (await run(path, ['--version'])).stdout.trim();
  } catch {
    return undefined;
  }
}

function isTooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major < 22 || (major === 22 && minor < 22);
}

/**
 * A Node older than tierlab allows, so the front door's old-Node path is always tested: the one
 * TIERLAB_OLD_NODE names, else the machine's /usr/bin/node when it is old enough, else Node 20
 * installed from the npm registry into tierlab's cache (as scripts/env.sh installs Node 24). No
 * old Node is a failure, never a skip.
 */
export async function findOldNode(env: NodeJS.ProcessEnv = process.env): Promise<OldNode> {
  const given = env.TIERLAB_OLD_NODE;
  const candidate = given ?? '/usr/bin/node';
  const version = await versionOf(candidate);
  if (version && isTooOld(version)) return { path: candidate, version, source: given ? 'TIERLAB_OLD_NODE' : 'the machine' };
  if (given) throw new Error(`TIERLAB_OLD_NODE=${given} is ${version ?? 'not a runnable Node'}; the front-door tests need one older than 22.22`);

  const prefix = join(serviceSettingsFrom(env).cacheDir, '..', `node${oldLine}`);
  const path = join(prefix, 'node_modules', 'node', 'bin', 'node');
  const installed = await access(path).then(
    () => true,
    () => false,
  );
  if (!installed) {
    await run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node@${oldLine}`], {
      timeout: 300_000,
    });
  }
  const got = await versionOf(path);
  if (!got || !isTooOld(got)) throw new Error(`installing node@${oldLine} into ${prefix} gave ${got ?? 'no runnable Node'}`);
  return { path, version: got, source: `the npm registry (${prefix})` };
}
