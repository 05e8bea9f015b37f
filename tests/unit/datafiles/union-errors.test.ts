import type { SchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { TierlabError } from '../../../src/errors.ts';

function problems(value: unknown, schema: SchemaObject): string[] {
  try {
    validateDataValue(value, 'x.yaml', schema);
  } catch (error) {
    expect(error).toBeInstanceOf(TierlabError);
    expect((error as TierlabError).message.startsWith('x.yaml: ')).toBe(true);
    return (error as TierlabError).details.problems as string[];
  }
  throw new Error('expected the value to be rejected');
}

const shape = (kind: string, size: object) => ({
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'size'],
  properties: { kind: { const: kind }, size },
});

/** Not the scenario rate: any oneOf/anyOf whose branches each fix `kind` is told apart. */
describe('data file errors in a union told apart by kind', () => {
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const schema: SchemaObject = {
      type: 'object',
      properties: {
        shapes: {
          type: 'array',
          items: { [keyword]: [shape('square', { type: 'integer', minimum: 1 }), shape('circle', { type: 'number', maximum: 10 })] },
        },
      },
    };

    it(`${keyword}: reports the meant branch only, or lists the kinds`, () => {
      expect(problems({ shapes: [{ kind: 'square', size: 2 }, { kind: 'circle', size: 11 }] }, schema)).toEqual([
        '/shapes/1/size must be <= 10 (got 11)',
      ]);
      expect(problems({ shapes: [{ kind: 'square', size: 0 }, { kind: 'hexagon', size: 1 }] }, schema)).toEqual([
        '/shapes/0/size must be >= 1 (got 0)',
        '/shapes/1/kind must be one of square, circle (got "hexagon")',
      ]);
      expect(validateDataValue({ shapes: [{ kind: 'circle', size: 3 }] }, 'x.yaml', schema)).toEqual({ shapes: [{ kind: 'circle', size: 3 }] });
    });
  }

  it('a union whose branches have no kind keeps every branch line', () => {
    const schema: SchemaObject = { type: 'object', properties: { n: { oneOf: [{ type: 'integer' }, { type: 'string' }] } } };
    expect(problems({ n: 1.5 }, schema)).toEqual([
      '/n must be integer (got 1.5)',
      '/n must be string (got 1.5)',
      '/n must match exactly one schema in oneOf (got 1.5)',
    ]);
  });
});
