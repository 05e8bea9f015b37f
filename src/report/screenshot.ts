import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { TierlabError } from '../errors.ts';
import { writeFileAtomically } from '../results/write-atomically.ts';

export const chromiumPath = '/usr/bin/chromium';

// Debian's Chromium, started the quiet way: no background networking on a closed network.
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function chromiumAvailable(): Promise<boolean> {
  return access(chromiumPath).then(
    () => true,
    () => false,
  );
}

export interface RenderedChart {
  title: string;
  width: number;
  height: number;
  marks: number;
}

/** Puts the screenshot's bytes at its path; by default so that a killed run leaves the old picture or the new one, never half of one. */
export type WriteScreenshot = (path: string, png: Uint8Array) => Promise<void>;

/**
 * Opens report.html in headless Chromium (playwright-core drives Debian's browser; none is
 * downloaded), takes a full-page screenshot, and says what each chart rendered.
 */
export async function screenshotReport(htmlPath: string, pngPath: string, write: WriteScreenshot = writeFileAtomically): Promise<RenderedChart[]> {
  if (!(await chromiumAvailable())) {
    throw new TierlabError('PREREQUISITE_MISSING', `${chromiumPath} is missing: install Debian's chromium package (apt-get install chromium)`);
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, args });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(htmlPath).href);
    // Taken into memory, not to the path: Chromium writes the file in place, where a reader could meet half a picture.
    await write(pngPath, await page.screenshot({ fullPage: true }));
    return await page.$$eval('svg.chart', (charts) =>
      charts.map((chart) => {
        const box = chart.getBoundingClientRect();
        return {
          title: chart.querySelector('title')?.textContent ?? '',
          width: box.width,
          height: box.height,
          marks: chart.querySelectorAll('polyline, rect').length,
        };
      }),
    );
  } finally {
    await browser.close();
  }
}
