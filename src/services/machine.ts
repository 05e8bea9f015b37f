import { cpus } from 'node:os';
import type { JSONSchemaType } from 'ajv';
import type { Services } from './types.ts';

/** What a result was measured on, in the files of `tierlab capacity` and `tierlab floor`. */
export interface MachineEnvironment {
  cpus: number;
  cpuModel: string;
  node: string;
  servicesMode: string;
  kafka: { version: string };
}

export function machineEnvironment(services: Services): MachineEnvironment {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    servicesMode: services.mode,
    kafka: { version: services.kafka.description.version },
  };
}

const text = { type: 'string' } as const;

export const machineEnvironmentSchema: JSONSchemaType<MachineEnvironment> = {
  type: 'object',
  required: ['cpus', 'cpuModel', 'node', 'servicesMode', 'kafka'],
  properties: {
    cpus: { type: 'integer', minimum: 1 },
    cpuModel: text,
    node: text,
    servicesMode: text,
    kafka: { type: 'object', required: ['version'], properties: { version: text } },
  },
};
