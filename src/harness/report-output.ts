import { join } from 'node:path';
import type { ReportExtras } from '../report/extras.ts';
import { describeError } from '../errors.ts';
import { chromiumAvailable, screenshotReport } from '../report/screenshot.ts';
import type { RunSummary } from '../results/summary.ts';
import { writeReport } from '../report/write.ts';

export interface LabReportFiles {
  html: string;
  markdown: string;
  /** report.png, where Chromium is installed. */
  screenshot?: string;
  screenshotProblem?: string;
}

/**
 * The report of a run, and a screenshot of it where a browser is at hand (it is optional). A
 * capacity curve and floor, when given, add their sections to both pages.
 */
export async function writeLabReport(dir: string, summary: RunSummary, extras: ReportExtras = {}): Promise<LabReportFiles> {
  const files: LabReportFiles = await writeReport(dir, summary, extras);
  if (!(await chromiumAvailable())) return { ...files, screenshotProblem: 'no /usr/bin/chromium: no screenshot taken' };
  const png = join(dir, 'report.png');
  try {
    await screenshotReport(files.html, png);
    return { ...files, screenshot: png };
  } catch (error) {
    return { ...files, screenshotProblem: describeError(error) };
  }
}
