import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { TierlabError } from '../errors.ts';

// verbose: each error carries its schema, so a failed oneOf/anyOf can be told which branch was meant.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true });

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
    const problems = describeSchemaErrors(validate.errors ?? [], value);
    throw new TierlabError('BAD_DATA_FILE', `${path}: ${problems.join('; ')}`, {
      details: { path, problems },
    });
  }
  return value as T;
}

const compiled = new WeakMap<SchemaObject, ReturnType<Ajv['compile']>>();

/** The property whose const tells the branches of a oneOf/anyOf apart, as in `rate: { kind: bursts, ... }`. */
const TAG = 'kind';

/**
 * One line per bad field. Ajv reports a failed oneOf/anyOf with the errors of every branch; when
 * each branch fixes `kind` to its own const, only the branch the value names is reported, or, if
 * its kind names none, one line listing the kinds: `/rate/kind must be one of constant, bursts, diurnal (got "stepped")`.
 */
function describeSchemaErrors(errors: ErrorObject[], root: unknown): string[] {
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, string>();
  for (const union of errors) {
    if (union.keyword !== 'oneOf' && union.keyword !== 'anyOf') continue;
    const kinds = branchKinds(union.schema);
    if (kinds === undefined) continue;
    const data: unknown = union.data;
    const isObject = typeof data === 'object' && data !== null && !Array.isArray(data);
    const meant = isObject ? kinds.indexOf((data as Record<string, unknown>)[TAG] as string) : -1;
    const branches = `${union.schemaPath}/`;
    // The same schema checks every item of an array, so a branch's errors are those at or below this value.
    const under = (e: ErrorObject) => e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`);
    const inBranch = errors.filter((e) => e.schemaPath.startsWith(branches) && under(e));
    const kept = inBranch.filter((e) => meant !== -1 && e.schemaPath.startsWith(`${branches}${meant}/`));
    // The meant branch passed yet the union failed (two branches matched): keep Ajv's own line.
    if (meant !== -1 && kept.length === 0) continue;
    for (const e of inBranch) if (!kept.includes(e)) dropped.add(e);
    if (meant !== -1) dropped.add(union);
    else if (!isObject) replaced.set(union, `${union.instancePath || '/'} must be object${shownValue(data)}`);
    else {
      const got = (data as Record<string, unknown>)[TAG];
      replaced.set(union, `${union.instancePath}/${TAG} must be one of ${kinds.join(', ')}${shownValue(got)}`);
    }
  }
  return errors.filter((e) => !dropped.has(e)).map((e) => replaced.get(e) ?? describeSchemaError(e, root));
}

/** The `kind` const of each branch of a oneOf/anyOf, or undefined unless every branch has a distinct one. */
function branchKinds(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const kinds = branches.map((branch: { properties?: Record<string, { const?: unknown }> }) => branch?.properties?.[TAG]?.const);
  if (!kinds.every((k): k is string => typeof k === 'string') || new Set(kinds).size !== kinds.length) return undefined;
  return kinds;
}

function shownValue(got: unknown): string {
  return got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
}

function describeSchemaError(error: ErrorObject, root: unknown): string {
  const at = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${at === '/' ? '' : at}/${extra} is not a known field`;
  }
  return `${at} ${error.message ?? 'is invalid'}${shownValue(valueAt(root, error.instancePath))}`;
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
