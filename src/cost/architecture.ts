import { fileURLToPath } from 'node:url';
import type { SchemaObject } from 'ajv';
import { dataFileId, dataFileIds, loadDataFile, resolveDataFile } from '../datafiles/load.ts';
import { TierlabError } from '../errors.ts';
import { guarantees, type Guarantee } from '../tiers/guarantee.ts';
import { tierNames, type TierName } from '../tiers/types.ts';

/**
 * A production architecture for one tier, as data (bench/architectures/*.yaml): its parts and how
 * each is billed. The cost model knows how to bill each kind of part; the file says which parts
 * a tier's production form has and their sizing rules.
 */
export type ArchitecturePart =
  /** Brokers all year, sized from the measured bytes at the peak rate, and the bytes retained. */
  | { kind: 'kafka-cluster' }
  /** Always-on workers sized from the CPU the run measured per event. */
  | { kind: 'workers'; sizedFor: 'peak' | 'mean'; utilisation: number; excludeJobTime?: boolean }
  /** Managed delivery to S3, billed per GB with each record rounded up to 5 KB. */
  | { kind: 'delivery'; eventsPerRecord: number }
  | { kind: 'object-storage'; retentionDays: number }
  /**
   * S3 requests: per trigger (as measured per query run where the tier ran the queries, else the
   * counts given, assumed), or, with no counts given, scaled from the requests measured per event.
   */
  | { kind: 'object-requests'; putsPerTrigger?: number; getsPerTrigger?: number }
  /** Compute billed per run (a scheduled job, or a query every trigger), from the measured job time or CPU per event. */
  | { kind: 'job-compute'; runsEvery: 'schedule' | 'trigger'; minimumBilledSecondsPerRun: number };

export type PartKind = ArchitecturePart['kind'];

export interface Architecture {
  /** The file's name. */
  name: string;
  title: string;
  tier: TierName;
  /** The guarantee the tier must have run with for its measurement to price this architecture. */
  guarantee?: Guarantee;
  parts: ArchitecturePart[];
}

/** Which architecture prices each tier, and whether the Kafka tiers share one cluster. */
export interface ArchitectureChoice {
  batch: string;
  microbatch: string;
  streaming: string;
  /** per-tier: each tier that needs Kafka is billed a cluster of its own; shared: one cluster, split evenly. */
  kafka: 'per-tier' | 'shared';
}

/** The defaults, in one place; a scenario's `architectures:` overrides any of them. */
export const defaultArchitectureChoice: ArchitectureChoice = {
  batch: 'batch-managed-delivery',
  microbatch: 'microbatch-kafka',
  streaming: 'streaming-at-least-once',
  kafka: 'per-tier',
};

export const architecturesDir = fileURLToPath(new URL('../../bench/architectures/', import.meta.url));

const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const partProperties: Record<PartKind, { required: string[]; properties: Record<string, object> }> = {
  'kafka-cluster': { required: [], properties: {} },
  workers: {
    required: ['sizedFor', 'utilisation'],
    properties: { sizedFor: { enum: ['peak', 'mean'] }, utilisation: { type: 'number', exclusiveMinimum: 0, maximum: 1 }, excludeJobTime: { type: 'boolean' } },
  },
  delivery: { required: ['eventsPerRecord'], properties: { eventsPerRecord: { type: 'integer', minimum: 1 } } },
  'object-storage': { required: ['retentionDays'], properties: { retentionDays: positive } },
  'object-requests': { required: [], properties: { putsPerTrigger: { type: 'number', minimum: 0 }, getsPerTrigger: { type: 'number', minimum: 0 } } },
  'job-compute': {
    required: ['runsEvery', 'minimumBilledSecondsPerRun'],
    properties: { runsEvery: { enum: ['schedule', 'trigger'] }, minimumBilledSecondsPerRun: { type: 'number', minimum: 0 } },
  },
};

export const architectureSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'tier', 'parts'],
  properties: {
    title: { type: 'string', minLength: 1 },
    tier: { enum: [...tierNames] },
    guarantee: { enum: [...guarantees] },
    parts: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { enum: Object.keys(partProperties) } },
        allOf: Object.entries(partProperties).map(([kind, { required, properties }]) => ({
          if: { properties: { kind: { const: kind } } },
          then: { additionalProperties: false, required, properties: { kind: { const: kind }, ...properties } },
        })),
      },
    },
  },
};

/** The scenario file's optional `architectures:` section. */
export const architectureChoiceSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    batch: { type: 'string', minLength: 1 },
    microbatch: { type: 'string', minLength: 1 },
    streaming: { type: 'string', minLength: 1 },
    kafka: { enum: ['per-tier', 'shared'] },
  },
};

export async function loadArchitecture(nameOrPath: string, dir = architecturesDir): Promise<Architecture> {
  const path = await resolveDataFile(nameOrPath, dir, 'architecture');
  const file = await loadDataFile<Omit<Architecture, 'name'>>(path, architectureSchema);
  return { name: dataFileId(path), ...file };
}

export function architectureNames(dir = architecturesDir): Promise<string[]> {
  return dataFileIds(dir);
}

/** The architecture of each tier a choice names, checked to be one of that tier's. */
export async function loadChosenArchitectures(choice: ArchitectureChoice, dir = architecturesDir): Promise<Record<TierName, Architecture>> {
  const chosen = {} as Record<TierName, Architecture>;
  for (const tier of tierNames) {
    const architecture = await loadArchitecture(choice[tier], dir);
    if (architecture.tier !== tier) {
      throw new TierlabError('BAD_INPUT', `architecture "${architecture.name}" prices the ${architecture.tier} tier, not ${tier}`, {
        details: { tier, architecture: architecture.name },
      });
    }
    chosen[tier] = architecture;
  }
  return chosen;
}

/** Every architecture in the folder, by tier: the variants the report prices side by side. */
export async function loadAllArchitectures(dir = architecturesDir): Promise<Architecture[]> {
  return Promise.all((await architectureNames(dir)).map((name) => loadArchitecture(name, dir)));
}
