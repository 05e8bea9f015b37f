import { judgeClaims } from '../results/claims.ts';
import type { RunSummary } from '../results/summary.ts';
import { escapeXml as esc } from './svg.ts';

const header = ['claim (the seed)', 'verdict', 'figures', 'assumed'];
const intro =
  'Judged on this run alone: a claim that needs another scenario (the Monday dashboard, the few-minutes case) is "not measured" here; ' +
  '`tierlab claims` judges every claim on all stored runs.';

function rows(summary: RunSummary): string[][] {
  return judgeClaims([summary]).map((v) => [v.claim, v.verdict, v.runs.length > 0 ? v.figures : `run \`${v.toMeasure}\``, v.assumed]);
}

type Table = (header: string[], rows: string[][]) => string;

export function claimsSectionMarkdown(summary: RunSummary, table: Table): string[] {
  return ["## The seed's claims, judged", '', intro, '', table(header, rows(summary)), ''];
}

export function claimsSectionHtml(summary: RunSummary, table: Table): string {
  return `<h2>The seed’s claims, judged</h2>\n<p class="muted">${esc(intro)}</p>\n${table(header, rows(summary))}`;
}
