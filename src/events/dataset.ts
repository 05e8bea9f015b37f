import { fileURLToPath } from 'node:url';
import { dataFileIds, loadDataFile, resolveDataFile } from '../datafiles/load.ts';
import { TierlabError } from '../errors.ts';
import { datasetSchema } from './dataset-schema.ts';
import type { DriftSpec } from './drift.ts';
import type { DatasetRule } from './types.ts';

export interface WeightedValues {
  /** value -> relative weight */
  [value: string]: number;
}

export interface AttributeSpec {
  name: string;
  /** Categorical values with weights… */
  values?: WeightedValues;
  /** …or ids `prefix0 … prefix(count-1)`, uniform. */
  ids?: { prefix: string; count: number };
}

export interface AnomalySpec {
  name: string;
  /** Share of events that start this anomaly. */
  share: number;
  amount?: { minCents: number; maxCents: number };
  /** Attribute overrides: the value is drawn uniformly from the list. */
  attributes?: Record<string, string[]>;
  /** The same key for this many consecutive events (e.g. a burst of transactions on one card). */
  burst?: number;
}

export interface DatasetProfile {
  name: string;
  description: string;
  keys: { prefix: string; count: number; hotKeys: number; hotShare: number };
  amount: { minCents: number; maxCents: number; onlyWhen?: { attribute: string; equals: string } };
  attributes: AttributeSpec[];
  anomalies: AnomalySpec[];
  rules: DatasetRule[];
  /** The tumbling window of the aggregates, in event time. */
  windowMs: number;
  /** Share of records sent malformed, for the bad-input path. */
  malformedShare: number;
  /** Records whose shape drifts (drift.ts); none unless the dataset or the scenario says. */
  drift?: DriftSpec[];
}

export const datasetsDir = fileURLToPath(new URL('../../datasets/', import.meta.url));

export function datasetNames(dir = datasetsDir): Promise<string[]> {
  return dataFileIds(dir);
}

/**
 * Loads a dataset profile by name (datasets/NAME.yaml) or by path (anything ending in .yaml
 * or .json). The file is validated; an unknown name lists the known ones.
 */
export async function loadDataset(nameOrPath: string, dir = datasetsDir): Promise<DatasetProfile> {
  const path = await resolveDataFile(nameOrPath, dir, 'dataset');
  const profile = await loadDataFile<DatasetProfile>(path, datasetSchema);
  checkConsistency(profile, path);
  return profile;
}

/** What a schema cannot say: cross-field rules. */
function checkConsistency(profile: DatasetProfile, path: string): void {
  const fail = (where: string, message: string) => {
    throw new TierlabError('BAD_DATA_FILE', `${path}: ${where} ${message}`, { details: { path, where } });
  };
  if (profile.keys.hotKeys > profile.keys.count) fail('/keys/hotKeys', `must be <= /keys/count (${profile.keys.count})`);
  // The batch tier's raw zone is partitioned by event-time hour: a window must not straddle two.
  if (3_600_000 % profile.windowMs !== 0) fail('/windowMs', `(${profile.windowMs}) must divide an hour evenly`);
  if (profile.amount.minCents > profile.amount.maxCents) fail('/amount/minCents', 'must be <= /amount/maxCents');
  const fields = new Set(['amountCents', 'key', ...profile.attributes.map((a) => a.name)]);
  profile.attributes.forEach((attribute, i) => {
    if (!attribute.values === !attribute.ids) fail(`/attributes/${i}`, 'needs exactly one of values or ids');
  });
  profile.rules.forEach((rule, i) => {
    if (!fields.has(rule.field)) fail(`/rules/${i}/field`, `"${rule.field}" is not amountCents, key or an attribute`);
    const isList = Array.isArray(rule.value);
    if (['gt', 'gte', 'lt', 'lte'].includes(rule.op) && typeof rule.value !== 'number') {
      fail(`/rules/${i}/value`, `must be a number for op ${rule.op} (got ${JSON.stringify(rule.value)})`);
    }
    if ((rule.op === 'in' || rule.op === 'notIn') !== isList) fail(`/rules/${i}/value`, `must ${isList ? 'not ' : ''}be a list for op ${rule.op}`);
  });
  const total = profile.anomalies.reduce((sum, a) => sum + a.share, 0) + profile.malformedShare;
  if (total > 0.5) fail('/anomalies', `and malformedShare add up to ${total}; keep them under 0.5`);
  checkDrift(profile.drift ?? [], fields, (where, message) => fail(`/drift${where}`, message));
}

/** A drift spec names fields the event has (or, for an added field, one it has not); shares stay under a half. */
export function checkDrift(drift: DriftSpec[], fields: Set<string>, fail: (where: string, message: string) => never): void {
  const total = drift.reduce((sum, spec) => sum + spec.share, 0);
  if (total > 0.5) fail('', `shares add up to ${total}; keep them under 0.5`);
  drift.forEach((spec, i) => {
    const field = spec.field ?? (spec.case === 'new-field' ? 'deviceId' : 'amountCents');
    if (spec.case === 'new-field' && (fields.has(field) || field === 'attrs')) fail(`/${i}/field`, `"${field}" is already a field of the event; a new field needs a new name`);
    if ((spec.case === 'renamed-field' || spec.case === 'type-change') && !['seq', 'eventTimeMicros', 'amountCents', 'key'].includes(field)) {
      fail(`/${i}/field`, `"${field}" is not one of the event's top-level fields seq, key, eventTimeMicros, amountCents`);
    }
    if (spec.to !== undefined && spec.case !== 'renamed-field') fail(`/${i}/to`, `is only for renamed-field (got case ${spec.case})`);
  });
}
