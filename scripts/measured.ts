// Writes README.md's measured blocks from the run files stored in bench/measured/ (measured.yaml
// lists them). --check compares instead, and exits 1 when README.md differs from the files.
import { readFile, writeFile } from 'node:fs/promises';
import { loadMeasured } from '../src/report/measured-files.ts';
import { measuredBlockOf, measuredIdsIn, renderMeasuredBlock } from '../src/report/measured-section.ts';

const readmePath = new URL('../README.md', import.meta.url).pathname;
let readme = await readFile(readmePath, 'utf8');
const blocks = await loadMeasured();
const problems: string[] = [];
const listed = new Set(blocks.map((block) => block.id));
for (const id of measuredIdsIn(readme)) if (!listed.has(id)) problems.push(`README.md has a block "${id}" that bench/measured/measured.yaml does not list`);
let changed = 0;
for (const block of blocks) {
  const current = measuredBlockOf(readme, block.id);
  if (current === undefined) {
    problems.push(`README.md has no markers for block "${block.id}" (<!-- measured:${block.id} begin ... --> ... <!-- measured:${block.id} end -->)`);
    continue;
  }
  const wanted = renderMeasuredBlock(block);
  if (current === wanted) continue;
  changed++;
  readme = readme.replace(current, wanted);
}
if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
if (process.argv.includes('--check')) {
  process.stderr.write(changed === 0 ? 'README.md matches bench/measured/\n' : `README.md differs from bench/measured/ in ${changed} block(s): run \`npm run readme:measured\`\n`);
  process.exit(changed === 0 ? 0 : 1);
}
if (changed > 0) await writeFile(readmePath, readme);
process.stderr.write(changed === 0 ? 'README.md was already up to date\n' : `README.md: ${changed} measured block(s) written from bench/measured/\n`);
