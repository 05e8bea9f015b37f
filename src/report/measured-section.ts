import { floorCells, floorHeader, floorNotes } from '../results/floor-render.ts';
import type { FloorResult } from '../results/floor.ts';
import { human } from '../results/recommend.ts';
import { closingLines } from '../results/run-text.ts';
import { variantRows, variantsHeader } from './cost-section.ts';
import type { RunSummary } from '../results/summary.ts';
import { soakCells, soakHeader } from '../results/soak-render.ts';
import { costNote, costOptionHeader, costOptionRows, costReading, noCostLine } from './lakehouse-cost-facts.ts';
import { driftHeader, driftRows, reconciliationLine, zoneHeader, zoneRows } from './lakehouse-facts.ts';
import type { SoakResult } from '../results/soak.ts';

/**
 * README's measured figures, each a block made from run files stored in bench/measured/
 * (measured.yaml lists them; scripts/measured.ts writes them; a unit test fails when README.md and
 * the files differ). Every figure names the run it comes from, its date and its machine; a group
 * of runs of one command gives its spread.
 */
export type MeasuredBlock = { id: string; command: string; why: string } & (
  | { kind: 'closing'; run: RunSummary }
  | { kind: 'recommendation'; run: RunSummary }
  | { kind: 'cost'; run: RunSummary }
  | { kind: 'runs'; runs: RunSummary[] }
  | { kind: 'floor'; floor: FloorResult }
  | { kind: 'soak'; soak: SoakResult }
  | { kind: 'lakehouse'; run: RunSummary }
);

const begin = (id: string) => `<!-- measured:${id} begin: written by \`npm run readme:measured\` from bench/measured/; edit those, not this -->`;
const end = (id: string) => `<!-- measured:${id} end -->`;

/** One block, between its markers, as README.md has it. */
export function renderMeasuredBlock(block: MeasuredBlock): string {
  return [begin(block.id), ...bodyOf(block), end(block.id)].join('\n');
}

/** The block `id` as README.md has it now, markers included, or undefined when it has none. */
export function measuredBlockOf(readme: string, id: string): string | undefined {
  // Found by the marker's start alone, so a block whose marker lost its note is still found and rewritten.
  const from = readme.indexOf(`<!-- measured:${id} begin`);
  const to = readme.indexOf(end(id));
  return from < 0 || to < from ? undefined : readme.slice(from, to + end(id).length);
}

/** Every block's id that README.md has markers for: a block the index no longer lists is found too. */
export function measuredIdsIn(readme: string): string[] {
  return [...readme.matchAll(/<!-- measured:([a-z0-9-]+) begin/g)].map((match) => match[1]!);
}

function bodyOf(block: MeasuredBlock): string[] {
  switch (block.kind) {
    case 'closing':
      return ['```', ...closingLines(block.run).join('\n').split('\n'), '```', '', `(${caption(block, block.run)})`];
    case 'recommendation':
      return ['```', `recommendation: ${block.run.recommendation.why}`, '```', '', `(${caption(block, block.run)})`];
    case 'cost':
      return [
        `${caption(block, block.run)}, its CPU, bytes and requests per event projected to ${block.run.cost.eventsPerDay.toExponential(1)} events/day:`,
        '',
        ...table(variantsHeader, variantRows(block.run)),
        '',
        `War story: ${block.run.cost.warStory.verdict}: ${block.run.cost.warStory.why}`,
      ];
    case 'runs':
      return runsBlock(block);
    case 'floor':
      return floorBlock(block);
    case 'soak':
      return soakBlock(block);
    case 'lakehouse':
      return lakehouseBlock(block);
  }
}

/** The lakehouse pass of one run: the zones, what drift did in each, whether every record is accounted for, and the $/year. */
function lakehouseBlock(entry: Extract<MeasuredBlock, { kind: 'lakehouse' }>): string[] {
  const { lakehouse } = entry.run;
  if (!lakehouse) return [`${caption(entry, entry.run)}: this run has no lakehouse section.`];
  const cells = (rows: string[][]) => rows.map((row) => row.map(escapeCell));
  return [
    `${caption(entry, entry.run)}:`,
    '',
    ...table(zoneHeader, cells(zoneRows(lakehouse))),
    '',
    ...table(driftHeader, cells(driftRows(lakehouse))),
    '',
    reconciliationLine(lakehouse),
    ...(lakehouse.cost
      ? ['', costReading(lakehouse.cost), '', ...table(costOptionHeader(lakehouse.cost), cells(costOptionRows(lakehouse.cost))), '', costNote(lakehouse, lakehouse.cost, "in the assumptions of the run's report")]
      : ['', noCostLine(lakehouse)]),
  ];
}

/** What a quoted run stands on: the command, the run, its date and machine, and why it is quoted. */
function caption(block: MeasuredBlock, run: RunSummary): string {
  return `\`${block.command}\`, run \`${run.runId}\`, ${day(run.startedAt)}, ${machineOf(run)}, services started by the command: ${block.why}`;
}

function machineOf(run: { environment: { cpus: number; cpuModel: string; node: string; servicesMode: string; kafka: { version: string } } }): string {
  const { cpus, cpuModel, node, servicesMode, kafka } = run.environment;
  return `${cpus} × ${cpuModel}, Node ${node.replace(/^v/, '')}, ${servicesMode} Kafka ${kafka.version}`;
}

const day = (iso: string) => iso.slice(0, 10);
/** A value in a Markdown table cell: its pipes escaped. */
const escapeCell = (value: string) => value.replaceAll('|', '\\|');
const table = (header: string[], rows: string[][]) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];

/** One command run several times, each a separate invocation: every run's figures and, per tier, the spread of its p99 (max / min). */
function runsBlock(entry: Extract<MeasuredBlock, { kind: 'runs' }>): string[] {
  const { runs } = entry;
  const first = runs[0]!;
  const tiers = Object.keys(first.tiers);
  const dates = [...new Set(runs.map((run) => day(run.startedAt)))].join(', ');
  const header = ['run', ...tiers.flatMap((tier) => [`${tier} p50`, `${tier} p99`]), 'generator lag p99', 'recommends'];
  const rows = runs.map((run) => [
    run.runId,
    ...tiers.flatMap((tier) => {
      const measured = run.tiers[tier as keyof typeof run.tiers];
      if (!measured) return ['-', '-'];
      const mark = measured.state === 'ok' && measured.correct ? '' : ' (not correct)';
      return [human(measured.latency.p50Micros), `${human(measured.latency.p99Micros)}${mark}`];
    }),
    human(Math.max(...tiers.map((tier) => run.tiers[tier as keyof typeof run.tiers]?.generatorLag.p99Micros ?? 0))),
    run.recommendation.tier ?? 'none',
  ]);
  const spread = tiers.map((tier) => {
    const p99s = runs.flatMap((run) => run.tiers[tier as keyof typeof run.tiers]?.latency.p99Micros ?? []);
    return `${tier} ${(Math.max(...p99s) / Math.min(...p99s)).toFixed(2)}x`;
  });
  return [
    `\`${entry.command}\`, ${runs.length} separate invocations (${dates}; ${machineOf(first)}): ${entry.why}`,
    '',
    ...table(header, rows),
    '',
    `p99 spread over the ${runs.length} runs (max / min): ${spread.join(', ')}. Each run: ${first.environment.execution} execution, ${first.environment.measuredSecPerTier} s measured per tier, tiers on ${first.environment.kafkaClient}.`,
  ];
}

function floorBlock(entry: Extract<MeasuredBlock, { kind: 'floor' }>): string[] {
  const { floor } = entry;
  return [
    `\`${entry.command}\`, one run (${day(floor.startedAt)}, run ${floor.runId}; ${machineOf(floor)}), ${floor.rate.toLocaleString('en-US')} events/s, ${floor.durationSec} s per row: ${entry.why}`,
    '',
    ...table(floorHeader, floor.rows.map((row) => floorCells(row).map(escapeCell))),
    '',
    ...floorNotes(floor).flatMap((note) => [note, '']).slice(0, -1),
  ];
}

function soakBlock(entry: Extract<MeasuredBlock, { kind: 'soak' }>): string[] {
  const { soak } = entry;
  const tiers = soak.tiers.map(
    (tier) =>
      `${tier.name} ${tier.state === 'ok' && tier.correct ? 'ended equal to the ground truth' : 'did NOT end equal to the ground truth'}, ` +
      `${Math.round(tier.achievedPerSec).toLocaleString('en-US')} events/s made visible` +
      (tier.heldWindows === undefined ? '' : `, ${tier.heldWindows.toLocaleString('en-US')} windows held at the end and ${(tier.evictedWindows ?? 0).toLocaleString('en-US')} forgotten once closed`),
  );
  return [
    `\`${entry.command}\`, one run (${day(soak.startedAt)}, run ${soak.runId}; ${machineOf(soak)}), ${soak.durationSec} s at ${soak.rate.why}; RSS every ${soak.sampleEverySec} s, the first ${soak.warmupSec} s left out of each trend: ${entry.why}`,
    '',
    ...table(soakHeader.filter((h) => h !== 'pid'), soak.processes.map((process) => soakCells(process).filter((_, i) => soakHeader[i] !== 'pid'))),
    '',
    `Verdict: ${soak.verdict}. ${tiers.join('; ')}.`,
  ];
}
