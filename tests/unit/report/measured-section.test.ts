import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadMeasured } from '../../../src/report/measured-files.ts';
import { measuredBlockOf, measuredIdsIn, renderMeasuredBlock } from '../../../src/report/measured-section.ts';

const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
const blocks = await loadMeasured();

describe("README's measured figures", () => {
  it.each(blocks.map((block) => [block.id, block] as const))('block %s is exactly what its stored run files render', (_, block) => {
    expect(measuredBlockOf(readme, block.id), `README.md has the markers of block ${block.id}`).toBeDefined();
    expect(measuredBlockOf(readme, block.id)).toBe(renderMeasuredBlock(block));
  });

  it('has no block that bench/measured/measured.yaml does not list', () => {
    expect(measuredIdsIn(readme).sort()).toEqual(blocks.map((block) => block.id).sort());
  });
});
