import type { SoakProcess, SoakResult, SoakTier } from './soak.ts';
import { perSec } from './capacity-render.ts';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

export const soakHeader = ['process', 'pid', 'samples', 'RSS at start', 'RSS at end', 'peak', 'slope', 'growth', 'verdict'];

export function soakCells(process: SoakProcess): string[] {
  const known = process.verdict !== 'unknown';
  return [
    process.name,
    String(process.pid),
    String(process.samples),
    mib(process.startRssBytes),
    mib(process.endRssBytes),
    mib(process.peakRssBytes),
    known ? `${signed(process.slopeBytesPerMin / 2 ** 20, 2)} MiB/min` : '-',
    known ? `${signed(process.growth * 100, 1)}%` : '-',
    process.judged ? process.verdict : `${process.verdict} (not judged)`,
  ];
}

function tierLine(tier: SoakTier): string {
  const windows = tier.heldWindows === undefined ? '' : `; ${tier.heldWindows.toLocaleString('en-US')} windows held at the end, ${(tier.evictedWindows ?? 0).toLocaleString('en-US')} forgotten once closed`;
  const state = tier.state === 'ok' ? (tier.correct ? 'ok, equal to the ground truth' : 'ok, NOT equal to the ground truth') : `errored: ${tier.error ?? 'no reason given'}`;
  return `  ${tier.name}: ${state}, ${perSec(tier.achievedPerSec)} made visible${windows}`;
}

/** The terminal output of `tierlab soak`: what was offered, each process's RSS trend, each tier's outcome, the verdict. */
export function renderSoakTable(result: SoakResult): string {
  const rows = [soakHeader, ...result.processes.map(soakCells)];
  const widths = soakHeader.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const numeric = [false, true, true, true, true, true, true, true, false];
  const table = rows.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  const limit = Math.round(result.flatWithin * 100);
  const verdict =
    result.verdict === 'flat'
      ? `flat: every tierlab process's RSS grew ${limit}% or less over the soak (the line fitted through its samples)`
      : result.verdict === 'growing'
        ? `growing: ${result.processes.filter((p) => p.judged && p.verdict === 'growing').map((p) => p.name).join(', ')} grew more than ${limit}% over the soak`
        : 'unknown: a process had fewer than three samples after the warm-up; soak longer, or sample more often';
  return [
    `soak of ${result.scenario} (${result.tiers.map((t) => t.name).join(', ')}), run ${result.runId}: ${result.durationSec} s at ${result.rate.why}`,
    `RSS sampled every ${result.sampleEverySec} s; the first ${result.warmupSec} s of the stream are warm-up, left out of each trend`,
    '',
    ...table,
    '',
    'tiers:',
    ...result.tiers.map(tierLine),
    '',
    `verdict: ${verdict}`,
  ].join('\n');
}
