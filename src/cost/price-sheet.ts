import { fileURLToPath } from 'node:url';
import type { SchemaObject } from 'ajv';
import { loadDataFile } from '../datafiles/load.ts';

export const priceNames = [
  'computeVcpuHour',
  'computeGbHour',
  'kafkaBrokerHour',
  'kafkaStorageGbMonth',
  's3StorageGbMonth',
  's3PutPer1000',
  's3GetPer1000',
  'ingestGb',
] as const;
export type PriceName = (typeof priceNames)[number];

export interface Price {
  usd: number;
  unit: string;
  source: string;
  note?: string;
  verified: boolean;
}

export interface CostAssumptions {
  kafkaBrokersMinimum: number;
  kafkaReplication: number;
  kafkaRetentionDays: number;
  kafkaBrokerWriteMBps: number;
  workerMinimumVcpu: number;
  workerGbPerVcpu: number;
}

export interface PriceSheet {
  name: string;
  read: string;
  prices: Record<PriceName, Price>;
  assumptions: CostAssumptions;
}

export const defaultPriceSheetPath = fileURLToPath(new URL('../../bench/pricing/aws-us-east-1.yaml', import.meta.url));

const price: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['usd', 'unit', 'source', 'verified'],
  properties: {
    usd: { type: 'number', minimum: 0 },
    unit: { type: 'string', minLength: 1 },
    source: { type: 'string', pattern: '^https://' },
    note: { type: 'string' },
    verified: { type: 'boolean' },
  },
};
const positive = { type: 'number', exclusiveMinimum: 0 } as const;

export const priceSheetSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'read', 'prices', 'assumptions'],
  properties: {
    name: { type: 'string' },
    read: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    prices: {
      type: 'object',
      additionalProperties: false,
      required: [...priceNames],
      properties: Object.fromEntries(priceNames.map((name) => [name, price])),
    },
    assumptions: {
      type: 'object',
      additionalProperties: false,
      required: [
        'kafkaBrokersMinimum', 'kafkaReplication', 'kafkaRetentionDays', 'kafkaBrokerWriteMBps', 'workerMinimumVcpu', 'workerGbPerVcpu',
      ],
      properties: {
        kafkaBrokersMinimum: { type: 'integer', minimum: 1 },
        kafkaReplication: { type: 'integer', minimum: 1 },
        kafkaRetentionDays: positive,
        kafkaBrokerWriteMBps: positive,
        workerMinimumVcpu: positive,
        workerGbPerVcpu: positive,
      },
    },
  },
};

export function loadPriceSheet(path = defaultPriceSheetPath): Promise<PriceSheet> {
  return loadDataFile<PriceSheet>(path, priceSheetSchema);
}
