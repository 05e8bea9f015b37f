import type { ClientBase } from 'pg';
import type { Clock } from '../events/index.ts';
import { dashboardQueryNames, type DashboardQueryName } from './dashboard-queries.ts';
import { metered, type CpuMeter } from './cpu-meter.ts';
import { zoneQuery, type QueryRuns, type ZoneAnswers } from './zone-queries.ts';

export const postgresScanBasis = "PostgreSQL's EXPLAIN (ANALYZE, BUFFERS): shared buffers the query touched (hit + read) times the block size";

interface PlanNode {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
}

/** The bytes a query touched: its plan's shared buffers (the root's count includes its children's). */
async function bytesTouched(client: ClientBase, sql: string, blockBytes: number): Promise<number> {
  const result = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`);
  const plan = result.rows[0]!['QUERY PLAN'][0]!.Plan;
  return ((plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0)) * blockBytes;
}

/**
 * Runs the dashboard on the warehouse server: warm-ups, timed runs (query to last row), the
 * buffers one run touched, and the server's CPU (its process tree, where it is this machine's).
 */
export async function queryPostgresZone(
  client: ClientBase,
  sql: Record<DashboardQueryName, string>,
  options: QueryRuns & { clock: Clock; serverCpu?: CpuMeter | undefined },
): Promise<ZoneAnswers> {
  const blockBytes = Number((await client.query<{ block_size: string }>('SHOW block_size')).rows[0]!.block_size);
  const answers: ZoneAnswers = { queries: [], cpuMicros: 0, cpuBasis: options.serverCpu ? 'measured' : 'assumed', rows: { aggregate: [], topN: [], pointLookup: [] } };
  for (const name of dashboardQueryNames) {
    for (let i = 0; i < options.warmups; i++) await client.query(sql[name]);
    const micros: number[] = [];
    let rows: Array<Record<string, unknown>> = [];
    const { cpuMicros } = await metered([options.serverCpu], async () => {
      for (let i = 0; i < options.runs; i++) {
        const started = options.clock.nowMicros();
        rows = (await client.query(sql[name])).rows as Array<Record<string, unknown>>;
        micros.push(options.clock.nowMicros() - started);
      }
    });
    answers.cpuMicros += (options.serverCpu ? cpuMicros : micros.reduce((sum, m) => sum + m, 0)) / options.runs;
    answers.queries.push(zoneQuery(name, micros, await bytesTouched(client, sql[name], blockBytes), rows.length));
    answers.rows[name] = rows;
  }
  return answers;
}
