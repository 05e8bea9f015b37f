import { describe, expect, it } from 'vitest';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { bytesText } from '../../../src/report/lakehouse-facts.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import type { LakehouseSummary } from '../../../src/results/lakehouse.ts';
import { summarySchema } from '../../../src/results/summary-schema.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { lakehouseRunSummary, lakehouseSection } from './lakehouse-summary.ts';
import { makeRunSummary } from './summary-builder.ts';

const summary = lakehouseRunSummary();
const pages = (s: RunSummary) => [renderHtml(s), renderMarkdown(s)];

/** The fixture's section with one change. */
function edited(edit: (lakehouse: LakehouseSummary) => void): RunSummary {
  const lakehouse = lakehouseSection();
  edit(lakehouse);
  return lakehouseRunSummary(lakehouse);
}

describe('the lakehouse section of the report', () => {
  it('uses a fixture summary.json accepts', () => {
    expect(() => validateDataValue<RunSummary>(JSON.parse(JSON.stringify(summary)), 'results/run/summary.json', summarySchema)).not.toThrow();
  });

  it('is on both pages when the run has a lakehouse section, and absent otherwise', () => {
    const html = renderHtml(summary);
    expect(html).toContain('<section class="lakehouse">\n<h2>Lake, lakehouse, warehouse</h2>');
    expect(renderMarkdown(summary)).toContain('\n## Lake, lakehouse, warehouse\n');
    for (const page of pages(makeRunSummary())) {
      expect(page).not.toContain('Lake, lakehouse, warehouse');
      expect(page).not.toContain('class="lakehouse"');
    }
    // Still one self-contained page: no chart, script or fetch added.
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/\b(src|href)\s*=|<script/);
  });

  it('shows each zone: refresh p50 and p99 (the queries added), bytes scanned and how, storage, freshness, load, rows, ground truth', () => {
    // raw: 180 + 95 + 88 ms = 363 ms, p99 240 + 130 + 120 = 490 ms; 3 × 1,200,000 bytes = 3.43 MiB.
    const md = renderMarkdown(summary);
    expect(md).toContain('| zone | engine | refresh p50 (query p50s added) | refresh p99 (query p99s added) |');
    expect(md).toContain('| raw | duckdb-ndjson | 363 ms | 490 ms | 3.43 MiB | 1.14 MiB | 2.10 s (p99 4.80 s) | 45.0 ms (12 runs) | 6,000 | yes |');
    expect(md).toContain('| curated | spark-iceberg | 790 ms | 1.33 s | 449 KiB | 371 KiB | 14.2 s (p99 31.0 s) | 6.30 s (4 runs) | 5,910 | yes |');
    expect(md).toContain('| served | postgresql | 14.3 ms | 21.2 ms | 2.21 MiB | 2.29 MiB | 22.0 s (p99 44.0 s) | 1.90 s (4 runs) | 5,880 | NO |');
    expect(md).toContain('| served | pointLookup | 20 | 350 µs | 900 µs | 16.0 KiB | 3 |');
    expect(md).toContain('its p50 is their p50s added, its p99 their p99s added');
    expect(md).toContain(
      "counted as each engine allows (raw: upper bound: every object listed, read whole; curated: Spark's bytes read from files; served: pages read × 8 KiB)",
    );
    expect(renderHtml(summary)).toContain('<td>served</td><td>postgresql</td><td>14.3 ms</td><td>21.2 ms</td>');
  });

  it('lists the zones in the order the data flows, whatever order the summary has', () => {
    const md = renderMarkdown(edited((l) => l.zones.reverse()));
    expect(md.indexOf('| raw | duckdb-ndjson |')).toBeLessThan(md.indexOf('| curated | spark-iceberg |'));
    expect(md.indexOf('| curated | spark-iceberg |')).toBeLessThan(md.indexOf('| served | postgresql |'));
  });

  it('shows every drift case with each zone’s verdict and the reason it gave, escaped in HTML', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('| new-field | 30 | accepted | evolved | rejected | served: column "channel" of relation "events" does not exist |');
    expect(md).toContain('| type-change | 30 | accepted | rejected | rejected | curated: amountCents: expected long, got string |');
    expect(md).toContain('| malformed-json | 30 | accepted | rejected | rejected | curated: not a JSON object |');
    expect(md).toContain('Of the 4 drift cases: raw accepted 4; curated evolved 1, rejected 3; served rejected 4.');
    expect(renderHtml(summary)).toContain('<td>served: column &quot;channel&quot; of relation &quot;events&quot; does not exist</td>');
  });

  it('says nothing was lost when produced = raw, raw = curated + dead-lettered, curated = served + refused', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('**Nothing lost: all 6,000 records produced are in a zone, a dead letter or the warehouse\'s refusals.**');
    expect(md).toContain('| raw = curated + dead-lettered | 6,000 = 5,910 + 90 | ✓ |');
    expect(md).toContain('| curated = served + refused by the warehouse | 5,910 = 5,880 + 30 | ✓ |');
    expect(renderHtml(summary)).toContain('<p class="reconciliation"><b>Nothing lost');
  });

  it('says how many records are unaccounted for when the counts do not add up, and in red', () => {
    const leaky = edited((l) => {
      l.counts.served = 5_870;
      l.reconciled = false;
    });
    for (const page of pages(leaky)) {
      expect(page).toContain('10 records unaccounted for: the counts do not add up.');
      expect(page).not.toContain('Nothing lost');
    }
    expect(renderMarkdown(leaky)).toContain('| curated = served + refused by the warehouse | 5,910 = 5,870 + 30 | ✗ 10 unaccounted for |');
    expect(renderHtml(leaky)).toContain('<p class="reconciliation failing"><b>10 records unaccounted for');
    // More raw lines than records produced: the surplus is named, not netted against a loss.
    const surplus = edited((l) => {
      l.counts.raw = 6_005;
      l.counts.deadLettered = 95;
      l.reconciled = false;
    });
    expect(renderMarkdown(surplus)).toContain('5 records more than came in: the counts do not add up.');
    expect(renderMarkdown(surplus)).toContain('| produced = raw lines | 6,000 = 6,005 | ✗ 5 more than came in |');
  });

  it('shows the run’s own verdict where it disagrees with the counts', () => {
    const claimed = edited((l) => (l.counts.curated = 5_900));
    expect(renderMarkdown(claimed)).toContain('10 records unaccounted for; 10 records more than came in: the counts do not add up. The run itself recorded its records as reconciled.');
    const doubted = edited((l) => (l.reconciled = false));
    expect(renderMarkdown(doubted)).toContain('Nothing lost: all 6,000 records produced are in a zone, a dead letter or the warehouse\'s refusals. The run itself recorded its records as not reconciled.');
    expect(renderHtml(doubted)).toContain('<p class="reconciliation failing">');
  });

  it('counts the swamp: undocumented fields with their lines, duplicates, unparseable lines, files without a schema', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('| undocumented field channel | 30 lines |\n| undocumented field amount_cents | 30 lines |\n| duplicate lines | 0 |\n| unparseable lines | 30 |\n| files without a schema | 14 |');
    expect(md).toContain('what 2 undocumented fields (on 60 lines) mean, skip 30 lines that are not JSON objects, drop 0 duplicate lines, and guess the schema of 14 files');
    expect(renderMarkdown(edited((l) => (l.swamp.undocumentedFields = [])))).toContain('| undocumented fields | none |');
  });

  it('reads the figures it was given: the fastest zone, its storage against the smallest, freshness, ground truth, the machine', () => {
    for (const page of pages(summary)) {
      expect(page).toContain('The served zone (postgresql) refreshes the dashboard fastest, 14.3 ms at p50, against 363 ms in raw and 790 ms in curated; it keeps 2.29 MiB, 6.3x the 371 KiB of curated, the smallest.');
      expect(page).toContain('Data is queryable soonest in raw (p50 2.10 s after its event time) and last in served (p50 22.0 s).');
      expect(page).toContain('The aggregate in served does NOT equal the generator’s ground truth');
      expect(page).toContain('Measured on 8 × Intel(R) Xeon(R) Processor, 24 GiB, linux 6.18.44; native services, the lake on S3Proxy 4.1.0; zones served by raw (duckdb-ndjson), curated (spark-iceberg), served (postgresql)');
    }
    // Other figures, other sentences: raw made fastest and smallest, every aggregate right.
    const rawFastest = edited((l) => {
      const raw = l.zones.find((z) => z.zone === 'raw')!;
      raw.queryP50Micros = 5_000;
      raw.storageBytes = 100_000;
      for (const zone of l.zones) zone.matchesGroundTruth = true;
    });
    const md = renderMarkdown(rawFastest);
    expect(md).toContain('The raw zone (duckdb-ndjson) refreshes the dashboard fastest, 5.00 ms at p50, against 790 ms in curated and 14.3 ms in served; it keeps 97.7 KiB, the least storage of the zones.');
    expect(md).toContain('Every zone’s aggregate equals the generator’s ground truth.');
  });

  it('says "no data" for the freshness of a zone that holds no rows, never 0 µs', () => {
    const empty = edited((l) => {
      const served = l.zones.find((z) => z.zone === 'served')!;
      Object.assign(served, { rows: 0, freshnessP50Micros: 0, freshnessP99Micros: 0 });
    });
    expect(renderMarkdown(empty)).toMatch(/\| served \| postgresql \|[^\n]*\| no data \| 1\.90 s \(4 runs\) \| 0 \| NO \|/);
  });

  it('says so when no zone was measured, rather than read figures that are not there', () => {
    const none = edited((l) => (l.zones = []));
    for (const page of pages(none)) {
      expect(page).toContain('No zone was measured in this run.');
      expect(page).toContain('No dashboard query was timed in this run.');
      expect(page).not.toContain('refreshes the dashboard fastest');
    }
  });

  it('writes bytes in binary units, three figures', () => {
    expect([0, 1023, 1024, 380_000, 2_400_000, 5 * 2 ** 30].map(bytesText)).toEqual(['0 B', '1023 B', '1.00 KiB', '371 KiB', '2.29 MiB', '5.00 GiB']);
  });
});
