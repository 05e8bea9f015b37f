import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadDataFile } from '../datafiles/load.ts';
import { parseFloor } from '../floor/file.ts';
import { parseSoak } from '../soak/file.ts';
import type { MeasuredBlock } from './measured-section.ts';
import { readSummary } from '../results/read-summary.ts';

/** bench/measured/measured.yaml: README's measured blocks, each with the stored run files it is made of. */
export interface MeasuredIndex {
  blocks: Array<{ id: string; kind: MeasuredBlock['kind']; command: string; why: string; files: string[] }>;
}

const indexSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['blocks'],
  properties: {
    blocks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'command', 'why', 'files'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]+$' },
          kind: { enum: ['closing', 'recommendation', 'cost', 'runs', 'floor', 'soak', 'lakehouse'] },
          command: { type: 'string', minLength: 1 },
          why: { type: 'string', minLength: 1 },
          files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        },
      },
    },
  },
} as const;

export const measuredIndexPath = new URL('../../bench/measured/measured.yaml', import.meta.url).pathname;

/** The index and every file it names, each read and checked as the command that wrote it checks it. */
export async function loadMeasured(indexPath: string = measuredIndexPath): Promise<MeasuredBlock[]> {
  const index = await loadDataFile<MeasuredIndex>(indexPath, indexSchema);
  const at = (file: string) => join(dirname(indexPath), file);
  return Promise.all(
    index.blocks.map(async ({ id, kind, command, why, files }): Promise<MeasuredBlock> => {
      const base = { id, command, why };
      if (kind === 'floor') return { ...base, kind, floor: parseFloor(await readFile(at(files[0]!), 'utf8'), at(files[0]!)) };
      if (kind === 'soak') return { ...base, kind, soak: parseSoak(await readFile(at(files[0]!), 'utf8'), at(files[0]!)) };
      const runs = await Promise.all(files.map((file) => readSummary(at(file))));
      return kind === 'runs' ? { ...base, kind, runs } : { ...base, kind, run: runs[0]! };
    }),
  );
}
