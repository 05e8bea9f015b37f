import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CapacityResult } from '../capacity/types.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunSummary } from './summary.ts';

/**
 * Writes report.html and report.md beside summary.json, from the summary alone, plus a
 * `tierlab capacity` result when one is given (its section then appears on both pages).
 */
export async function writeReport(dir: string, summary: RunSummary, capacity?: CapacityResult): Promise<{ html: string; markdown: string }> {
  const html = join(dir, 'report.html');
  const markdown = join(dir, 'report.md');
  await writeFile(html, renderHtml(summary, capacity));
  await writeFile(markdown, renderMarkdown(summary, capacity));
  return { html, markdown };
}
