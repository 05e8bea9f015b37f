import { describe, expect, it } from 'vitest';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { lakehouseAssumptions } from '../../../src/cost/lakehouse.ts';
import { loadWarehouseSheet } from '../../../src/cost/warehouse-sheet.ts';
import { unverifiedNames } from '../../../src/report/lakehouse-cost-facts.ts';
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

  it('shows each zone: refresh p50 and p99 (the queries added), CPU, bytes scanned and how, storage, freshness, load, rows, ground truth', () => {
    // raw: 180 + 95 + 88 ms = 363 ms, p99 240 + 130 + 120 = 490 ms; 3 × 1,200,000 bytes = 3.43 MiB.
    const md = renderMarkdown(summary);
    expect(md).toContain('| zone | engine | refresh p50 (query p50s added) | refresh p99 (query p99s added) | CPU per refresh |');
    expect(md).toContain('| raw | duckdb-ndjson | 363 ms | 490 ms | 410 ms | 3.43 MiB | 1.14 MiB | 2.10 s (p99 4.80 s) | 45.0 ms (12 runs) | 6,000 | yes |');
    expect(md).toContain('| served | postgresql | 14.3 ms | 21.2 ms | 11.0 ms | 2.21 MiB | 2.29 MiB | 22.0 s (p99 44.0 s) | 1.90 s (4 runs) | 5,880 | NO |');
    expect(md).toContain('| served | duckdb-file | 9.40 ms | 13.2 ms | 9.00 ms | 0 B | 781 KiB | 22.4 s (p99 45.0 s) | 60.0 ms (4 runs) | 5,880 | NO |');
    expect(md).toContain('its p50 is their p50s added, its p99 their p99s added');
    expect(md).toContain(
      "counted as each engine allows (raw: upper bound: every object listed, read whole; curated: Spark's bytes read from files; served (postgresql): pages read × 8 KiB; served (duckdb-file): DuckDB's profiler: bytes read from the file)",
    );
    expect(renderHtml(summary)).toContain('<td>served</td><td>postgresql</td><td>14.3 ms</td><td>21.2 ms</td><td>11.0 ms</td>');
  });

  it('marks a refresh CPU that is wall time standing in, and says why, only where it is', () => {
    // curated's engine could not be read: its 790 ms is the refresh's wall time.
    for (const page of pages(summary)) {
      expect(page).toMatch(/curated[^\n]*spark-iceberg[^\n]*1\.33 s[^\n]*≈ 790 ms/);
      expect(page).toContain('≈ marks curated: the engine’s process could not be read, so the refresh’s wall time stands in (one core busy throughout).');
    }
    expect(renderMarkdown(summary)).toContain('| curated | spark-iceberg | 790 ms | 1.33 s | ≈ 790 ms | 449 KiB |');
    const allMeasured = renderMarkdown(edited((l) => l.zones.forEach((zone) => (zone.cpuBasis = 'measured'))));
    expect(allMeasured).toContain('| curated | spark-iceberg | 790 ms | 1.33 s | 790 ms | 449 KiB |');
    expect(allMeasured).not.toContain('≈');
    // Two rows of one zone are told apart by their engine.
    const servedAssumed = renderMarkdown(edited((l) => l.zones.filter((zone) => zone.zone === 'served').forEach((zone) => (zone.cpuBasis = 'assumed'))));
    expect(servedAssumed).toContain('≈ marks curated and served (postgresql) and served (duckdb-file):');
  });

  it('lists the zones in the order the data flows, whatever order the summary has', () => {
    const md = renderMarkdown(edited((l) => l.zones.reverse()));
    expect(md.indexOf('| raw | duckdb-ndjson |')).toBeLessThan(md.indexOf('| curated | spark-iceberg |'));
    expect(md.indexOf('| curated | spark-iceberg |')).toBeLessThan(md.indexOf('| served | postgresql |'));
    expect(md.indexOf('| curated | spark-iceberg |')).toBeLessThan(md.indexOf('| served | duckdb-file |'));
  });

  it('tells two served warehouses apart: queries, sentences, and the second warehouse’s rows against the counts', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('| served (postgresql) | pointLookup | 20 | 350 µs | 900 µs | 16.0 KiB | 3 |');
    expect(md).toContain('| served (duckdb-file) | aggregate | 20 | 5.20 ms | 7.90 ms | 0 B | 24 |');
    // The counts are PostgreSQL's; the DuckDB file's rows are set beside them.
    expect(md).toContain('| curated = served + refused by the warehouse (postgresql) | 5,910 = 5,880 + 30 | ✓ |');
    expect(md).toContain("refusals. The served counts are postgresql's; duckdb-file holds 5,880 rows, as many.**");
    const fewer = edited((l) => (l.zones.find((zone) => zone.engine === 'duckdb-file')!.rows = 5_870));
    expect(renderMarkdown(fewer)).toContain('duckdb-file holds 5,870 rows, 10 fewer.');
    // One warehouse: the zone's name alone, and no second-warehouse line.
    const one = renderMarkdown(edited((l) => (l.zones = l.zones.filter((zone) => zone.engine !== 'duckdb-file'))));
    expect(one).toContain('| served | pointLookup | 20 | 350 µs | 900 µs | 16.0 KiB | 3 |');
    expect(one).toContain('served: pages read × 8 KiB)');
    expect(one).not.toContain('The served counts are');
    expect(one).not.toContain('projected from postgresql’s measurements');
  });

  it('shows the curate and load steps: runs, wall and CPU added, rows, and each per row', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('### The scheduled steps: curate and load');
    expect(md).toContain('| step | runs | wall (runs added) | CPU (runs added) | rows | wall per row | CPU per row |');
    // 25 s / 6,000 lines = 4.17 ms; 31 s / 6,000 = 5.17 ms; 7.6 s / 5,910 = 1.29 ms; 2 s / 5,910 = 338 µs.
    expect(md).toContain('| curate: raw into curated (spark-iceberg) | 4 | 25.0 s | 31.0 s | 6,000 | 4.17 ms | 5.17 ms |');
    expect(md).toContain('| load: curated into served (postgresql) | 4 | 7.60 s | 2.00 s | 5,910 | 1.29 ms | 338 µs |');
    expect(md).toContain('Load: into postgresql only');
    expect(renderHtml(summary)).toContain('<td>load: curated into served (postgresql)</td><td>4</td><td>7.60 s</td>');
    // A step whose CPU no meter could read, and one that never ran: neither shown as 0.
    const unread = renderMarkdown(
      edited((l) => {
        l.steps.curate.cpuMicros = 0;
        l.steps.load = { runs: 0, wallMicros: 0, cpuMicros: 0, rows: 0 };
      }),
    );
    expect(unread).toContain('| curate: raw into curated (spark-iceberg) | 4 | 25.0 s | not read | 6,000 | 4.17 ms | - |');
    expect(unread).toContain('| load: curated into served (postgresql) | 0 | not run | - | - | - | - |');
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
    expect(md).toContain("**Nothing lost: all 6,000 records produced are in a zone, a dead letter or the warehouse's refusals. The served counts");
    expect(md).toContain('| raw = curated + dead-lettered | 6,000 = 5,910 + 90 | ✓ |');
    expect(md).toContain('| curated = served + refused by the warehouse (postgresql) | 5,910 = 5,880 + 30 | ✓ |');
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
    expect(renderMarkdown(leaky)).toContain('| curated = served + refused by the warehouse (postgresql) | 5,910 = 5,870 + 30 | ✗ 10 unaccounted for |');
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
    expect(renderMarkdown(doubted)).toContain(
      "Nothing lost: all 6,000 records produced are in a zone, a dead letter or the warehouse's refusals. The run itself recorded its records as not reconciled. The served counts are postgresql's;",
    );
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
      expect(page).toContain(
        'The served zone (duckdb-file) refreshes the dashboard fastest, 9.40 ms at p50, against 363 ms in raw, 790 ms in curated and 14.3 ms in served (postgresql); it keeps 781 KiB, 2.1x the 371 KiB of curated, the smallest.',
      );
      expect(page).toContain('Data is queryable soonest in raw (p50 2.10 s after its event time) and last in served (duckdb-file) (p50 22.4 s).');
      expect(page).toContain('The aggregate in served (postgresql) and served (duckdb-file) does NOT equal the generator’s ground truth: a dashboard on those zones');
      expect(page).toContain(
        'Measured on 8 × Intel(R) Xeon(R) Processor, 24 GiB, linux 6.18.44; native services, the lake on S3Proxy 4.1.0; zones served by raw (duckdb-ndjson), curated (spark-iceberg), served (postgresql), served (duckdb-file)',
      );
    }
    // Other figures, other sentences: raw made fastest and smallest, every aggregate right.
    const rawFastest = edited((l) => {
      const raw = l.zones.find((z) => z.zone === 'raw')!;
      raw.queryP50Micros = 5_000;
      raw.storageBytes = 100_000;
      for (const zone of l.zones) zone.matchesGroundTruth = true;
    });
    const md = renderMarkdown(rawFastest);
    expect(md).toContain(
      'The raw zone (duckdb-ndjson) refreshes the dashboard fastest, 5.00 ms at p50, against 790 ms in curated, 14.3 ms in served (postgresql) and 9.40 ms in served (duckdb-file); it keeps 97.7 KiB, the least storage of the zones.',
    );
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

  it('prices each option a year: total, measured share and its ratio to the cheapest, then every line with its basis', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('### What each option costs a year');
    expect(md).toContain('| option | what is priced | $/year at 100,000,000 events/day, 1,440 refreshes/day | measured share | against the cheapest |');
    // lake-raw: 2,015 + 29,481,449 + 6,474,557 = $35,958,021, all measured; Redshift: 676 + 13,140 = $13,816, 676 of it measured.
    expect(md).toContain('| lake-raw | Lake: raw NDJSON on S3, queried by DuckDB on an always-on worker | $35,958,021 | 100% | 2,603x |');
    expect(md).toContain('| warehouse-snowflake | Warehouse: Snowflake (Standard, X-Small, on demand) | $18,646 | 6% | 1.3x |');
    expect(md).toContain('| warehouse-redshift | Warehouse: Redshift Serverless | $13,816 | 5% | 1.0x |');
    expect(md).toContain('| warehouse-redshift | Redshift Serverless compute (4 RPU) | assumed | $13,140 |');
    expect(md).toContain('| lakehouse-iceberg | curation compute (Spark) | measured | $2,586 |');
    expect(md.match(/^\| (lake-raw|lakehouse-iceberg|warehouse-[a-z-]+) \| /gm)).toHaveLength(6 + 18);
    expect(renderHtml(summary)).toContain('<div class="named"><table><thead><tr><th>option</th><th>what is priced</th>');
  });

  it('says which option is cheapest and how far the dearest is from it, from the figures', () => {
    for (const page of pages(summary)) {
      expect(page).toContain(
        'At 100,000,000 events and 1,440 dashboard refreshes a day, the cheapest option is warehouse-redshift at $13,816/year; the dearest, lake-raw, is 2,603x the cheapest ($35,958,021/year).',
      );
    }
    // Other totals, another sentence: nothing in it is fixed.
    const close = edited((l) => {
      for (const option of l.cost!.options) option.usdPerYear = option.option === 'warehouse-bigquery' ? 10_000 : 25_000;
    });
    expect(renderMarkdown(close)).toContain('the cheapest option is warehouse-bigquery at $10,000/year; the dearest, lake-raw, is 2.5x the cheapest ($25,000/year).');
    const same = edited((l) => l.cost!.options.forEach((option) => (option.usdPerYear = 5_000)));
    expect(renderMarkdown(same)).toContain('the cheapest option is lake-raw at $5,000/year; every option costs the same.');
  });

  it('lists every assumption, and names the prices not verified above the lines', () => {
    const md = renderMarkdown(summary);
    expect(md).toContain('Prices and terms NOT verified (believed, not read on the sheet\'s day; marked so in the assumptions below): snowflakeCreditUsd, ebsGp3GbMonth;');
    expect(md).toContain('\n- retentionDays = 365 (assumed): How long every zone and warehouse keeps the data.\n');
    expect(md).toContain('\n- ebsGp3GbMonth: $0.08 per GB-month provisioned');
    expect(md).toContain('The warehouse options are projected from postgresql’s measurements, the first warehouse');
    const html = renderHtml(summary);
    expect(html.match(/<li>/g)!.length).toBeGreaterThanOrEqual(lakehouseSection().cost!.assumptions.length);
    expect(html).toContain('<li>redshiftRpuHour: $0.375 per RPU-hour');
    const allVerified = edited((l) => (l.cost!.assumptions = l.cost!.assumptions.filter((a) => !a.includes('NOT verified'))));
    expect(renderMarkdown(allVerified)).toContain('Every price and term used is marked verified in the assumptions below.');
  });

  it('finds exactly the sheet’s unverified prices and terms in the assumptions the projection writes', async () => {
    const warehouses = await loadWarehouseSheet();
    const zone = { storageBytes: 1, rows: 1, queryBytesScanned: [], refreshWallSeconds: 0, refreshCpuSeconds: 0 };
    const assumptions = lakehouseAssumptions({ warehouses, raw: zone, curated: zone });
    const unverified = [...Object.entries(warehouses.terms), ...Object.entries(warehouses.prices)].filter(([, entry]) => !entry.verified).map(([name]) => name);
    expect(unverified.length).toBeGreaterThan(0);
    expect(unverifiedNames({ ...lakehouseSection().cost!, assumptions })).toEqual(unverified);
  });

  it('says why there is no cost when the run has none', () => {
    const noServed = edited((l) => {
      delete l.cost;
      for (const zone of l.zones.filter((z) => z.zone === 'served')) zone.rows = 0;
      l.steps.load.rows = 0;
    });
    for (const page of pages(noServed)) {
      expect(page).toContain('No cost: the served zone (postgresql) held no rows, the load step took no rows, so there was nothing to project per row.');
      expect(page).not.toContain('against the cheapest');
    }
    expect(renderMarkdown(edited((l) => delete l.cost))).toContain('### What each option costs a year\n\nNo cost was projected in this run.\n');
  });

  it('writes bytes in binary units, three figures', () => {
    expect([0, 1023, 1024, 380_000, 2_400_000, 5 * 2 ** 30].map(bytesText)).toEqual(['0 B', '1023 B', '1.00 KiB', '371 KiB', '2.29 MiB', '5.00 GiB']);
  });
});
