import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunSummary } from './summary.ts';

/** Writes report.html and report.md beside summary.json, from the summary alone. */
export async function writeReport(dir: string, summary: RunSummary): Promise<{ html: string; markdown: string }> {
  const html = join(dir, 'report.html');
  const markdown = join(dir, 'report.md');
  await writeFile(html, renderHtml(summary));
  await writeFile(markdown, renderMarkdown(summary));
  return { html, markdown };
}
