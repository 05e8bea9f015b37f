import { access } from 'node:fs/promises';
import type { SchemaObject } from 'ajv';
import { loadDataFile } from '../datafiles/load.ts';

/**
 * A participant's answer file, validated against the exercise's own schema (a bad field is named,
 * as for every data file). A missing file is not an error here: the check says to write one.
 */
export async function loadAnswer<T>(path: string, schema: SchemaObject): Promise<T | undefined> {
  if (!(await access(path).then(() => true, () => false))) return undefined;
  return loadDataFile<T>(path, schema);
}
