import { access, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDataText, validateDataValue } from '../datafiles/load.ts';
import { TierlabError, isTierlabError } from '../errors.ts';
import { summarySchema } from './summary-schema.ts';
import { summarySchemaVersion, type RunSummary } from './summary.ts';

/** The file a run leaves in its folder, results/<run-id>/summary.json. */
export const summaryFileName = 'summary.json';

/**
 * Reads and validates a stored run: `pathOrDir` is its summary.json or the folder holding it.
 * A broken or foreign file is rejected with BAD_DATA_FILE naming the path and the bad field.
 */
export async function readSummary(pathOrDir: string): Promise<RunSummary> {
  const path = (await isDirectory(pathOrDir)) ? join(pathOrDir, summaryFileName) : pathOrDir;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new TierlabError('BAD_DATA_FILE', `${path}: cannot be read`, { cause, details: { path } });
  }
  const value = parseDataText(text, path);
  checkSchemaVersion(value, path);
  return validateDataValue<RunSummary>(value, path, summarySchema);
}

/**
 * A stored run's summary when it is there and reads: undefined for a folder without one (a run
 * that did not finish), and, for a broken or older file, undefined after telling `skipped`, so
 * one bad file never hides the other runs.
 */
export async function readStoredSummary(runDir: string, skipped: (path: string, error: unknown) => void): Promise<RunSummary | undefined> {
  const path = join(runDir, summaryFileName);
  if (!(await access(path).then(() => true, () => false))) return undefined;
  try {
    return await readSummary(path);
  } catch (error) {
    if (!isTierlabError(error, 'BAD_DATA_FILE')) throw error;
    skipped(path, error);
    return undefined;
  }
}

/**
 * A summary of another version fails nearly every field of this one's schema; one line naming
 * the version says what is wrong far better than that list would.
 */
function checkSchemaVersion(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return; // the schema names it
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (version === summarySchemaVersion) return;
  const got = version === undefined ? 'is missing' : `is ${JSON.stringify(version)}`;
  throw new TierlabError(
    'BAD_DATA_FILE',
    `${path}: /schemaVersion ${got}; this build of tierlab reads summary.json version ${summarySchemaVersion}`,
    { details: { path, schemaVersion: version, expected: summarySchemaVersion } },
  );
}

/**
 * Where RUN points: a run id (a folder under resultsDir) or a path to a run folder or its
 * summary.json. Something that looks like a path is taken as one; a bare name is looked up
 * under resultsDir first. Returns the summary.json path.
 */
export async function resolveRun(ref: string, resultsDir: string): Promise<string> {
  const looksLikePath = /[/\\]/.test(ref) || ref.endsWith('.json') || ref === '.' || ref === '..';
  const candidates = looksLikePath ? [ref] : [join(resultsDir, ref), ref];
  for (const candidate of candidates) {
    if (await isDirectory(candidate)) return join(candidate, summaryFileName);
    if (await isFile(candidate)) return candidate;
  }
  const known = await knownRunIds(resultsDir);
  const newest = known.slice(-10);
  const older = known.length > newest.length ? ` (and ${known.length - newest.length} older)` : '';
  const runs = known.length === 0 ? `${resultsDir} holds no runs` : `the newest runs in ${resultsDir}: ${newest.join(', ')}${older}`;
  throw new TierlabError('UNKNOWN_NAME', `no run "${ref}" (looked for ${candidates.join(' and ')}); ${runs}`, {
    details: { ref, tried: candidates, known },
  });
}

/** The run folders under resultsDir, oldest first: run ids start with their UTC start time. */
export async function knownRunIds(resultsDir: string): Promise<string[]> {
  const entries = await readdir(resultsDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
