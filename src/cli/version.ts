import { readFileSync } from 'node:fs';
import { TierlabError } from '../errors.ts';

const packageJson = new URL('../../package.json', import.meta.url);

/** The version `tierlab --version` prints: package.json's, so there is one place to bump it. */
export function packageVersion(read: (url: URL) => string = (url) => readFileSync(url, 'utf8')): string {
  const text = read(packageJson);
  let version: unknown;
  try {
    version = (JSON.parse(text) as { version?: unknown }).version;
  } catch (cause) {
    throw new TierlabError('BAD_DATA_FILE', `${packageJson.pathname} is not JSON`, { cause });
  }
  if (typeof version !== 'string' || version === '') {
    throw new TierlabError('BAD_DATA_FILE', `${packageJson.pathname}: /version is missing`, { details: { version } });
  }
  return version;
}
