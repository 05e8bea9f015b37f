import type { SchemaObject } from 'ajv';

/** Any name here, so that an unknown one is answered with the tier's engines (the registry checks it). */
export const engineNameSchema = { type: 'string', minLength: 1 } as const;
/** A duration in whole milliseconds. */
export const wholeMsSchema = { type: 'integer', minimum: 1 } as const;

/** Worker processes of a tier, in one consumer group (the registry refuses more than one for an engine that cannot). */
export const workersSchema = { type: 'integer', minimum: 1 } as const;

/** A tier's section of a scenario (bench/scenarios/*.yaml): its settings, each checked by the schema before the tier's own checks. */
export function tierSectionSchema(properties: Record<string, SchemaObject | { readonly [key: string]: unknown }>): SchemaObject {
  return { type: 'object', additionalProperties: false, properties: { engine: engineNameSchema, workers: workersSchema, ...properties } };
}
