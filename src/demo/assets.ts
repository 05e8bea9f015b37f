import { readFile } from 'node:fs/promises';
import { createRequire, stripTypeScriptTypes } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTypeOf, fileUnder } from './paths.ts';

export interface Asset {
  contentType: string;
  body: Buffer | string;
}

/** What the page is made of, by URL path: undefined for anything else. */
export type AssetSource = (urlPath: string) => Promise<Asset | undefined>;

const srcDir = fileURLToPath(new URL('../', import.meta.url));
const pageDir = join(srcDir, 'demo', 'page');
const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot'));

/**
 * The page's own modules are TypeScript under src/demo/page/, served to the browser with their
 * types stripped by Node (no build step); the one shared module the page imports, recommend.ts,
 * is served the same way, so the page runs the very recommend() the report uses. Nothing else
 * under src/ is reachable. uPlot comes from node_modules, so the page works offline.
 */
const shared = new Set([join(srcDir, 'results', 'recommend.ts')]);

function servable(file: string): boolean {
  if (shared.has(file)) return true;
  const inPage = relative(pageDir, file);
  return !inPage.startsWith('..') && !inPage.includes(sep) && /^[a-z-]+\.(ts|html|css)$/.test(inPage);
}

const vendor: Record<string, string> = {
  '/vendor/uplot.js': join(uplotDist, 'uPlot.esm.js'),
  '/vendor/uplot.css': join(uplotDist, 'uPlot.min.css'),
};

export interface PageAssetsOptions {
  /** Reads a file as text; node:fs by default, a counting stand-in in tests. */
  readFile?: (file: string) => Promise<string>;
}

export function pageAssets(options: PageAssetsOptions = {}): AssetSource {
  const read = options.readFile ?? ((file: string) => readFile(file, 'utf8'));
  // Keyed by the file a path resolves to, not by the path: `/app/demo/page/%6Dain.ts`, `/app/demo//page/main.ts`
  // and any number of other spellings name one file, and each must not cost another entry (and read).
  const cache = new Map<string, Asset>();
  return async (urlPath) => {
    const file = urlPath === '/' ? join(pageDir, 'index.html') : (vendor[urlPath] ?? (urlPath.startsWith('/app/') ? fileUnder(srcDir, urlPath.slice(4)) : undefined));
    if (!file || !(file in vendorFiles || servable(file))) return undefined;
    const cached = cache.get(file);
    if (cached) return cached;
    const text = await read(file).catch(() => undefined);
    if (text === undefined) return undefined;
    const asset = { contentType: contentTypeOf(file), body: file.endsWith('.ts') ? stripTypes(text) : text };
    cache.set(file, asset);
    return asset;
  };
}

const vendorFiles: Record<string, true> = Object.fromEntries(Object.values(vendor).map((file) => [file, true]));

/**
 * Node's type stripping for the browser. It is marked experimental in Node 24 and says so once on
 * stderr, which would sit in the middle of the demo's output: that one warning is held back, no other.
 */
function stripTypes(source: string): string {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('stripTypeScriptTypes')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}
