import type { JSONSchemaType } from 'ajv';
import { tierNames } from '../tiers/types.ts';
import type { ExerciseFile } from './types.ts';

/** Optional fields: JSONSchemaType wants them nullable; `not: null` keeps an explicit null out. */
const notNull = { nullable: true, not: { const: null } } as const;

/** JSON Schema of workshops/<folder>/workshop.yaml, typed so the compiler keeps it and ExerciseFile in step. */
export const exerciseSchema: JSONSchemaType<ExerciseFile> = {
  type: 'object',
  additionalProperties: false,
  required: ['letter', 'title', 'minutes', 'teaches', 'answer', 'reference'],
  properties: {
    letter: { type: 'string', pattern: '^[a-z]$' },
    title: { type: 'string', minLength: 1 },
    minutes: { type: 'integer', minimum: 5, maximum: 120 },
    teaches: { type: 'string', minLength: 1 },
    runsOf: { type: 'string', pattern: '^ws-[a-z]-', ...notNull },
    answer: { type: 'boolean' },
    reference: {
      type: 'object',
      additionalProperties: false,
      required: ['runs'],
      properties: {
        runs: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['scenario'],
            properties: {
              scenario: { type: 'string', pattern: '\\.ya?ml$' },
              tier: { type: 'string', enum: [...tierNames], ...notNull },
              faults: { type: 'array', items: { type: 'string', minLength: 1 }, ...notNull },
            },
          },
        },
        answer: { type: 'string', minLength: 1, ...notNull },
      },
    },
  },
};
