import type { SchemaObject } from 'ajv';
import { driftCases } from './drift.ts';
import { ruleOperators } from './types.ts';

const share = { type: 'number', minimum: 0, maximum: 1 } as const;
const cents = { type: 'integer', minimum: 0 } as const;
const name = { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]*$' } as const;

/** Schema drift from the producer (drift.ts): a dataset's own, or a scenario's for its run. */
export const driftSchema: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['case', 'share'],
    properties: {
      case: { enum: [...driftCases] },
      share,
      startsAfterEvents: { type: 'integer', minimum: 0 },
      field: name,
      to: name,
    },
  },
};

/** JSON Schema of datasets/*.yaml; see datasets/README.md for what each field means. */
export const datasetSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'keys', 'amount', 'attributes', 'anomalies', 'rules', 'windowMs'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    keys: {
      type: 'object',
      additionalProperties: false,
      required: ['prefix', 'count'],
      properties: {
        prefix: { type: 'string' },
        count: { type: 'integer', minimum: 1 },
        hotKeys: { type: 'integer', minimum: 0, default: 0 },
        hotShare: { ...share, default: 0 },
      },
    },
    amount: {
      type: 'object',
      additionalProperties: false,
      required: ['minCents', 'maxCents'],
      properties: {
        minCents: cents,
        maxCents: cents,
        onlyWhen: {
          type: 'object',
          additionalProperties: false,
          required: ['attribute', 'equals'],
          properties: { attribute: name, equals: { type: 'string' } },
        },
      },
    },
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name,
          values: { type: 'object', minProperties: 1, additionalProperties: { type: 'number', exclusiveMinimum: 0 } },
          ids: {
            type: 'object',
            additionalProperties: false,
            required: ['prefix', 'count'],
            properties: { prefix: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
          },
        },
      },
    },
    anomalies: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'share'],
        properties: {
          name,
          share,
          amount: {
            type: 'object',
            additionalProperties: false,
            required: ['minCents', 'maxCents'],
            properties: { minCents: cents, maxCents: cents },
          },
          attributes: { type: 'object', additionalProperties: { type: 'array', minItems: 1, items: { type: 'string' } } },
          burst: { type: 'integer', minimum: 2 },
        },
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'field', 'op', 'value'],
        properties: {
          name,
          field: { type: 'string' },
          op: { enum: [...ruleOperators] },
          value: {
            anyOf: [
              { type: 'number' },
              { type: 'string' },
              { type: 'array', minItems: 1, items: { anyOf: [{ type: 'number' }, { type: 'string' }] } },
            ],
          },
        },
      },
    },
    windowMs: { type: 'integer', minimum: 1000, maximum: 3_600_000 },
    malformedShare: { ...share, default: 0.001 },
    drift: driftSchema,
  },
};
