import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { TierlabError } from '../errors.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true });

/** The id of a data file is its name without extension, as in the OpenMessaging Benchmark. */
export function dataFileId(path: string): string {
  return basename(path, extname(path));
}

/** The ids of the data files (*.yaml) in a folder, sorted. */
export async function dataFileIds(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.yaml')).map((f) => dataFileId(f)).sort();
}

/**
 * A data file named by id (`payments` -> dir/payments.yaml) or given as a path (anything ending
 * in .yaml, .yml or .json). An unknown id fails with UNKNOWN_NAME, listing the known ones.
 */
export async function resolveDataFile(nameOrPath: string, dir: string, kind: string): Promise<string> {
  if (/\.(ya?ml|json)$/.test(nameOrPath)) return nameOrPath;
  const known = await dataFileIds(dir);
  if (!known.includes(nameOrPath)) {
    throw new TierlabError('UNKNOWN_NAME', `unknown ${kind} "${nameOrPath}"; known: ${known.join(', ')}`, {
      details: { name: nameOrPath, known },
    });
  }
  return join(dir, `${nameOrPath}.yaml`);
}

/**
 * Reads a YAML or JSON data file and validates it against its schema. Defaults in the schema
 * are filled in. A file that fails is rejected with the path of every bad field, e.g.
 * `datasets/payments.yaml: /keys/hotShare must be <= 1 (got 1.5)`.
 */
export async function loadDataFile<T>(path: string, schema: SchemaObject): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new TierlabError('BAD_DATA_FILE', `${path}: cannot be read`, { cause, details: { path } });
  }
  return parseDataFile(text, path, schema);
}

export function parseDataFile<T>(text: string, path: string, schema: SchemaObject): T {
  return validateDataValue<T>(parseDataText(text, path), path, schema);
}

/** The parse half of parseDataFile, for a reader that must look at the value before validating it. */
export function parseDataText(text: string, path: string): unknown {
  try {
    return parseYaml(text); // YAML is a superset of JSON, so one parser serves both
  } catch (cause) {
    throw new TierlabError('BAD_DATA_FILE', `${path}: not valid YAML/JSON: ${(cause as Error).message}`, {
      cause,
      details: { path },
    });
  }
}

/** The validate half of parseDataFile: every bad field named by its JSON pointer, with its value. */
export function validateDataValue<T>(value: unknown, path: string, schema: SchemaObject): T {
  const validate = compiled.get(schema) ?? compiled.set(schema, ajv.compile(schema)).get(schema)!;
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((error) => describeSchemaError(error, value));
    throw new TierlabError('BAD_DATA_FILE', `${path}: ${problems.join('; ')}`, {
      details: { path, problems },
    });
  }
  return value as T;
}

const compiled = new WeakMap<SchemaObject, ReturnType<Ajv['compile']>>();

function describeSchemaError(error: ErrorObject, root: unknown): string {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${at === '/' ? '' : at}/${extra} is not a known field`;
  }
  const got = valueAt(root, error.instancePath);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  return `${at} ${error.message ?? 'is invalid'}${shown}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return undefined;
  let current: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
