import { describe, expect, it } from 'vitest';
import {
  lakehouseOptions,
  loadPriceSheet,
  loadWarehouseSheet,
  projectLakehouseCosts,
  type LakehouseCost,
  type LakehouseCostInputs,
  type LakehouseOption,
  type LakehouseZoneUsage,
  type WarehousePriceSheet,
} from '../../../src/cost/index.ts';

const aws = await loadPriceSheet();
const shipped = await loadWarehouseSheet();
const { prices, terms } = shipped;

/** The shipped sheet with some assumptions changed. */
function withAssumptions(changes: Partial<Record<keyof WarehousePriceSheet['assumptions'], number>>): WarehousePriceSheet {
  const assumptions = { ...shipped.assumptions };
  for (const [name, value] of Object.entries(changes)) {
    assumptions[name as keyof typeof assumptions] = { ...assumptions[name as keyof typeof assumptions], value: value! };
  }
  return { ...shipped, assumptions };
}

const eventsPerDay = 10_000_000;
/**
 * A zone measured on as many rows as a production day has, so that with the shipped one-day
 * dashboard window the per-refresh figures of the warehouses and the curated zone scale by 1.
 */
function zone(bytesPerRow: number, overrides: Partial<LakehouseZoneUsage> = {}): LakehouseZoneUsage {
  return { storageBytes: bytesPerRow * eventsPerDay, rows: eventsPerDay, queryBytesScanned: [2 * 2 ** 30, 2 ** 30, 1024], refreshWallSeconds: 2, refreshCpuSeconds: 1, ...overrides };
}

function inputs(overrides: Partial<LakehouseCostInputs> = {}): LakehouseCostInputs {
  return {
    aws,
    warehouses: shipped,
    eventsPerDay,
    refreshesPerDay: 24,
    raw: zone(200, { refreshS3Requests: { get: 30, list: 2 } }),
    curated: zone(40, { refreshS3Requests: { get: 6, list: 1 } }),
    served: { ...zone(90), engine: 'postgresql' },
    curation: { cpuSeconds: 30, wallSeconds: 20, events: 60_000, runsPerDay: 24 },
    load: { cpuSeconds: 3, wallSeconds: 6, events: 60_000, runsPerDay: 24 },
    ...overrides,
  };
}

const option = (cost: LakehouseCost, name: LakehouseOption) => cost.options.find((o) => o.option === name)!;
const line = (cost: LakehouseCost, name: LakehouseOption, lineName: string) => {
  const found = option(cost, name).lines.find((l) => l.name === lineName);
  if (!found) throw new Error(`no line "${lineName}" in ${name}: ${JSON.stringify(option(cost, name).lines.map((l) => l.name))}`);
  return found;
};
const expectNear = (got: number, want: number, relative = 1e-9) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * relative);

const storageLines: Array<[LakehouseOption, string]> = [
  ['lake-raw', 'raw storage (S3)'],
  ['lakehouse-iceberg', 'raw storage (S3)'],
  ['lakehouse-iceberg', 'curated storage (S3)'],
  ['warehouse-snowflake', 'Snowflake storage'],
  ['warehouse-bigquery', 'BigQuery storage (active)'],
  ['warehouse-bigquery', 'BigQuery storage (long-term)'],
  ['warehouse-redshift', 'Redshift managed storage'],
  ['warehouse-self-run', 'warehouse disk (EBS gp3)'],
];

describe('the lakehouse cost projection', () => {
  it('prices every option with lines that add up to its total', () => {
    const cost = projectLakehouseCosts(inputs());
    expect(cost.options.map((o) => o.option)).toEqual([...lakehouseOptions]);
    for (const o of cost.options) {
      expectNear(o.usdPerYear, o.lines.reduce((sum, l) => sum + l.usdPerYear, 0));
      expect(o.usdPerYear).toBeGreaterThan(0);
      expect(o.measuredShare).toBeGreaterThanOrEqual(0);
      expect(o.measuredShare).toBeLessThanOrEqual(1);
    }
    expect(option(cost, 'warehouse-self-run').title).toContain('postgresql');
  });

  it('prices storage from the measured bytes per row, a day of rows and the retention, by hand', () => {
    const cost = projectLakehouseCosts(inputs());
    const year = 365;
    // 200 bytes a row x 10M rows a day x 365 days, in GB, at S3's $/GB-month, 12 months.
    expectNear(line(cost, 'lake-raw', 'raw storage (S3)').usdPerYear, ((200 * eventsPerDay * year) / 1e9) * aws.prices.s3StorageGbMonth.usd * 12);
    // Snowflake and Redshift keep the curated zone's bytes per row (compressed columnar).
    expectNear(line(cost, 'warehouse-snowflake', 'Snowflake storage').usdPerYear, ((40 * eventsPerDay * year) / 1e12) * prices.snowflakeStorageTbMonth.usd * 12);
    expectNear(line(cost, 'warehouse-redshift', 'Redshift managed storage').usdPerYear, ((40 * eventsPerDay * year) / 1e9) * prices.redshiftStorageGbMonth.usd * 12);
    // BigQuery: the served bytes per row as logical bytes, 90 days active, the rest long-term, in GiB.
    const gibPerDay = (90 * eventsPerDay) / 2 ** 30;
    expectNear(line(cost, 'warehouse-bigquery', 'BigQuery storage (active)').usdPerYear, gibPerDay * 90 * prices.bigqueryActiveLogicalGibMonth.usd * 12);
    expectNear(line(cost, 'warehouse-bigquery', 'BigQuery storage (long-term)').usdPerYear, gibPerDay * 275 * prices.bigqueryLongTermLogicalGibMonth.usd * 12);
    // The self-run disk is provisioned half again above the bytes it holds.
    expectNear(line(cost, 'warehouse-self-run', 'warehouse disk (EBS gp3)').usdPerYear, ((90 * eventsPerDay * year * 1.5) / 1e9) * prices.ebsGp3GbMonth.usd * 12);
  });

  it('doubles every storage line when the events double, and again when the retention doubles', () => {
    const once = projectLakehouseCosts(inputs());
    const twice = projectLakehouseCosts(inputs({ eventsPerDay: 2 * eventsPerDay }));
    const longer = projectLakehouseCosts(inputs({ warehouses: withAssumptions({ retentionDays: 730 }) }));
    for (const [name, lineName] of storageLines) {
      if (lineName === 'BigQuery storage (active)') continue; // capped at the 90 days before data turns long-term
      expectNear(line(twice, name, lineName).usdPerYear, 2 * line(once, name, lineName).usdPerYear);
      if (lineName !== 'BigQuery storage (long-term)') expectNear(line(longer, name, lineName).usdPerYear, 2 * line(once, name, lineName).usdPerYear);
    }
    expectNear(line(twice, 'warehouse-bigquery', 'BigQuery storage (active)').usdPerYear, 2 * line(once, 'warehouse-bigquery', 'BigQuery storage (active)').usdPerYear);
    expectNear(line(longer, 'warehouse-bigquery', 'BigQuery storage (active)').usdPerYear, line(once, 'warehouse-bigquery', 'BigQuery storage (active)').usdPerYear);
  });

  it('doubles the curation job and the raw zone\'s scan costs when the events double', () => {
    // Every minute: the raw zone's worker is sized above the smallest one, so it scales too.
    const once = projectLakehouseCosts(inputs({ refreshesPerDay: 1440 }));
    const twice = projectLakehouseCosts(inputs({ refreshesPerDay: 1440, eventsPerDay: 2 * eventsPerDay }));
    expectNear(line(twice, 'lakehouse-iceberg', 'curation compute (Spark)').usdPerYear, 2 * line(once, 'lakehouse-iceberg', 'curation compute (Spark)').usdPerYear);
    expectNear(line(twice, 'lake-raw', 'S3 requests (raw queries)').usdPerYear, 2 * line(once, 'lake-raw', 'S3 requests (raw queries)').usdPerYear);
    expectNear(line(twice, 'lake-raw', 'query worker (DuckDB) compute').usdPerYear, 2 * line(once, 'lake-raw', 'query worker (DuckDB) compute').usdPerYear);
  });

  describe('Snowflake bills each resume at least its minimum, and the idle seconds before it suspends', () => {
    const hourly = (refreshWallSeconds: number, autoSuspend: number) =>
      projectLakehouseCosts(
        inputs({
          refreshesPerDay: 24,
          served: { ...zone(90, { refreshWallSeconds }), engine: 'postgresql' },
          load: { cpuSeconds: 0, wallSeconds: 0, events: 1, runsPerDay: 0 },
          warehouses: withAssumptions({ snowflakeAutoSuspendSeconds: autoSuspend }),
        }),
      );
    const creditHourUsd = terms.snowflakeXsmallCreditsPerHour.value * prices.snowflakeCreditUsd.usd;
    const usd = (secondsPerDay: number) => (secondsPerDay / 3600) * creditHourUsd * 365;

    it('a 2 s refresh each hour with no idle window is billed the 60 s minimum, assumed', () => {
      const snowflake = line(hourly(2, 0), 'warehouse-snowflake', 'Snowflake warehouse (X-Small)');
      expect(terms.snowflakeMinimumSecondsPerResume.value).toBe(60);
      expectNear(snowflake.usdPerYear, usd(24 * 60));
      expect(snowflake.basis).toBe('assumed');
    });

    it('with 60 s of idle before suspending, each resume is billed 62 s', () => {
      expectNear(line(hourly(2, 60), 'warehouse-snowflake', 'Snowflake warehouse (X-Small)').usdPerYear, usd(24 * 62));
    });

    it('a 10-minute refresh is billed its own time plus the idle window, measured', () => {
      const snowflake = line(hourly(600, 60), 'warehouse-snowflake', 'Snowflake warehouse (X-Small)');
      expectNear(snowflake.usdPerYear, usd(24 * 660));
      expect(snowflake.basis).toBe('measured');
    });

    it('a refresh every minute never lets the warehouse suspend: billed all day, assumed', () => {
      const cost = projectLakehouseCosts(inputs({ refreshesPerDay: 1440 }));
      const snowflake = line(cost, 'warehouse-snowflake', 'Snowflake warehouse (X-Small)');
      expectNear(snowflake.usdPerYear, usd(86_400));
      expect(snowflake.basis).toBe('assumed');
    });
  });

  it('bills Redshift Serverless at least 60 s each time queries run, at its base RPUs', () => {
    const cost = projectLakehouseCosts(
      inputs({ served: { ...zone(90, { refreshWallSeconds: 5 }), engine: 'postgresql' }, load: { cpuSeconds: 0, wallSeconds: 0, events: 1, runsPerDay: 0 } }),
    );
    const redshift = line(cost, 'warehouse-redshift', 'Redshift Serverless compute (4 RPU)');
    expectNear(redshift.usdPerYear, ((24 * 60) / 3600) * 4 * prices.redshiftRpuHour.usd * 365);
    expect(redshift.basis).toBe('assumed');
  });

  describe('BigQuery bills the bytes scanned, each query at least its minimum, after the free TiB', () => {
    const monthDays = 365 / 12;
    it('bills the scanned bytes at $/TiB, less the free TiB a month, measured', () => {
      // One refresh scans 2 GiB + 1 GiB + 1 KiB; the 1 KiB query is billed as 10 MiB.
      const perRefresh = 2 * 2 ** 30 + 2 ** 30 + 10 * 2 ** 20;
      const tibPerMonth = (perRefresh * 24 * monthDays) / 2 ** 40;
      const queries = line(projectLakehouseCosts(inputs()), 'warehouse-bigquery', 'BigQuery queries (on demand)');
      expectNear(queries.usdPerYear, (tibPerMonth - 1) * prices.bigqueryOnDemandTib.usd * 12);
      expect(queries.basis).toBe('measured');
    });

    it('doubles with the bytes scanned once above the free tier', () => {
      const big = (scale: number) =>
        line(
          projectLakehouseCosts(inputs({ refreshesPerDay: 1440, served: { ...zone(90, { queryBytesScanned: [scale * 2 ** 30] }), engine: 'postgresql' } })),
          'warehouse-bigquery',
          'BigQuery queries (on demand)',
        ).usdPerYear;
      const freeUsd = 1 * prices.bigqueryOnDemandTib.usd * 12;
      expectNear(big(2) + freeUsd, 2 * (big(1) + freeUsd));
    });

    it('bills tiny queries at the 10 MiB minimum each, assumed', () => {
      const tiny = projectLakehouseCosts(inputs({ refreshesPerDay: 1440 * 60, served: { ...zone(90, { queryBytesScanned: [100, 100, 100] }), engine: 'postgresql' } }));
      const queries = line(tiny, 'warehouse-bigquery', 'BigQuery queries (on demand)');
      const tibPerMonth = (3 * 10 * 2 ** 20 * 1440 * 60 * monthDays) / 2 ** 40;
      expectNear(queries.usdPerYear, (tibPerMonth - 1) * prices.bigqueryOnDemandTib.usd * 12);
      expect(queries.basis).toBe('assumed');
    });

    it('is free while a month scans less than the free TiB', () => {
      expect(line(projectLakehouseCosts(inputs({ refreshesPerDay: 1 })), 'warehouse-bigquery', 'BigQuery queries (on demand)').usdPerYear).toBe(0);
    });
  });

  it('sizes always-on workers from the CPU measured, never below the smallest worker', () => {
    const small = projectLakehouseCosts(inputs());
    const server = line(small, 'warehouse-self-run', 'warehouse server (postgresql) compute');
    expectNear(server.usdPerYear, aws.assumptions.workerMinimumVcpu * 8760 * aws.prices.computeVcpuHour.usd);
    expect(server.basis).toBe('assumed');
    // 1 CPU second a refresh, 86,400 refreshes a day, at half utilisation: 2 vCPUs.
    const busy = projectLakehouseCosts(inputs({ refreshesPerDay: 86_400, load: { cpuSeconds: 0, wallSeconds: 0, events: 1, runsPerDay: 0 } }));
    const busyServer = line(busy, 'warehouse-self-run', 'warehouse server (postgresql) compute');
    expectNear(busyServer.usdPerYear, 2 * 8760 * aws.prices.computeVcpuHour.usd);
    expect(busyServer.basis).toBe('measured');
  });

  it('bills each curation run at least the job minimum', () => {
    const rare = projectLakehouseCosts(inputs({ eventsPerDay: 1000, curation: { cpuSeconds: 1, wallSeconds: 1, events: 60_000, runsPerDay: 24 } }));
    const curation = line(rare, 'lakehouse-iceberg', 'curation compute (Spark)');
    const vcpuSecondUsd = (aws.prices.computeVcpuHour.usd + aws.assumptions.workerGbPerVcpu * aws.prices.computeGbHour.usd) / 3600;
    expectNear(curation.usdPerYear, 24 * 60 * vcpuSecondUsd * 365);
    expect(curation.basis).toBe('assumed');
  });

  it('marks each line measured or assumed', () => {
    const cost = projectLakehouseCosts(inputs({ refreshesPerDay: 1440 }));
    const bases = Object.fromEntries(cost.options.map((o) => [o.option, Object.fromEntries(o.lines.map((l) => [l.name, l.basis]))]));
    expect(bases).toEqual({
      'lake-raw': {
        'raw storage (S3)': 'measured',
        'query worker (DuckDB) compute': 'measured',
        'query worker (DuckDB) memory': 'measured',
        'S3 requests (raw queries)': 'measured',
      },
      'lakehouse-iceberg': {
        'raw storage (S3)': 'measured',
        'curated storage (S3)': 'measured',
        'curation compute (Spark)': 'measured',
        // One CPU second a refresh over a day's rows, every minute: well within the smallest worker.
        'query worker (Spark) compute': 'assumed',
        'query worker (Spark) memory': 'assumed',
        'S3 requests (curated queries)': 'measured',
      },
      'warehouse-snowflake': { 'Snowflake storage': 'measured', 'Snowflake warehouse (X-Small)': 'assumed' },
      'warehouse-bigquery': { 'BigQuery storage (active)': 'measured', 'BigQuery storage (long-term)': 'measured', 'BigQuery queries (on demand)': 'measured' },
      'warehouse-redshift': { 'Redshift managed storage': 'measured', 'Redshift Serverless compute (4 RPU)': 'assumed' },
      'warehouse-self-run': {
        'warehouse server (postgresql) compute': 'assumed',
        'warehouse server (postgresql) memory': 'assumed',
        'warehouse disk (EBS gp3)': 'measured',
      },
    });
  });

  it('reads the raw zone whole on every refresh, the others only the dashboard window', () => {
    // The raw zone measured on one day's rows: a refresh at production reads the year it keeps.
    const cost = projectLakehouseCosts(inputs());
    const perDay = (30 * 365 * 24) / 1000;
    const lists = (2 * 365 * 24) / 1000;
    expectNear(line(cost, 'lake-raw', 'S3 requests (raw queries)').usdPerYear, (perDay * aws.prices.s3GetPer1000.usd + lists * aws.prices.s3PutPer1000.usd) * 365);
    expectNear(
      line(cost, 'lakehouse-iceberg', 'S3 requests (curated queries)').usdPerYear,
      (((6 * 24) / 1000) * aws.prices.s3GetPer1000.usd + ((1 * 24) / 1000) * aws.prices.s3PutPer1000.usd) * 365,
    );
  });

  it('leaves out S3 requests that were not measured, and says so', () => {
    const cost = projectLakehouseCosts(inputs({ raw: zone(200), curated: zone(40) }));
    expect(option(cost, 'lake-raw').lines.map((l) => l.name)).not.toContain('S3 requests (raw queries)');
    expect(cost.assumptions).toContain('S3 requests of the zones whose requests per refresh were not measured are not priced.');
  });

  it('lists every price, term and assumption it used, each price verified or not', () => {
    const { assumptions } = projectLakehouseCosts(inputs());
    for (const [name, p] of Object.entries(prices)) {
      const sentence = assumptions.find((s) => s.startsWith(`${name}: $${p.usd} `));
      expect(sentence, name).toBeDefined();
      expect(sentence).toContain(p.verified ? 'verified' : 'NOT verified');
    }
    for (const name of Object.keys(terms)) expect(assumptions.some((s) => s.startsWith(`${name}: `)), name).toBe(true);
    for (const name of Object.keys(shipped.assumptions)) expect(assumptions.some((s) => s.startsWith(`${name} = `)), name).toBe(true);
  });

  it('rejects a zone that held no rows, naming it', () => {
    expect(() => projectLakehouseCosts(inputs({ curated: zone(40, { rows: 0 }) }))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('curated.rows must be > 0') }),
    );
    expect(() => projectLakehouseCosts(inputs({ load: { cpuSeconds: 1, wallSeconds: 1, events: 0, runsPerDay: 1 } }))).toThrow('load.events must be > 0');
  });
});
