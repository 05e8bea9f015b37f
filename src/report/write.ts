import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportExtras } from './extras.ts';
import type { RunSummary } from '../results/summary.ts';
import { writeFileAtomically } from '../results/write-atomically.ts';

/**
 * Writes report.html and report.md beside summary.json, from the summary alone, plus the results
 * of `tierlab capacity` and `tierlab floor` when given (their sections then appear on both pages).
 */
export async function writeReport(dir: string, summary: RunSummary, extras: ReportExtras = {}): Promise<{ html: string; markdown: string }> {
  const html = join(dir, 'report.html');
  const markdown = join(dir, 'report.md');
  await writeFileAtomically(html, renderHtml(summary, extras));
  await writeFileAtomically(markdown, renderMarkdown(summary, extras));
  return { html, markdown };
}
