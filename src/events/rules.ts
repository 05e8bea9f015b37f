import type { DatasetRule, LabEvent } from './types.ts';

function fieldValue(event: LabEvent, field: string): string | number | undefined {
  if (field === 'amountCents') return event.amountCents;
  if (field === 'key') return event.key;
  return event.attrs[field];
}

function matches(rule: DatasetRule, actual: string | number | undefined): boolean {
  if (actual === undefined) return false;
  const { op, value } = rule;
  switch (op) {
    case 'in':
      return (value as Array<string | number>).includes(actual);
    case 'notIn':
      return !(value as Array<string | number>).includes(actual);
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
  }
  // Ordering compares numbers only, as SQL on a numeric column would.
  if (typeof actual !== 'number' || typeof value !== 'number') return false;
  switch (op) {
    case 'gt':
      return actual > value;
    case 'gte':
      return actual >= value;
    case 'lt':
      return actual < value;
    case 'lte':
      return actual <= value;
  }
}

/** The names of the rules that flag this event; pure, and the same code for every tier. */
export function evaluateRules(event: LabEvent, rules: DatasetRule[]): string[] {
  const flagged: string[] = [];
  for (const rule of rules) if (matches(rule, fieldValue(event, rule.field))) flagged.push(rule.name);
  return flagged;
}

const sqlOperators = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' } as const;

function sqlLiteral(value: string | number): string {
  return typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The same rules as DuckDB aggregate columns over the flat raw table (columns seq, key,
 * eventTimeMicros, amountCents and one per attribute), e.g.
 * `sum(CASE WHEN "amountCents" >= 500000 THEN 1 ELSE 0 END)::BIGINT AS "highAmount"`.
 */
export function rulesToSqlColumns(rules: DatasetRule[]): string[] {
  return rules.map((rule) => {
    const column = sqlIdentifier(rule.field);
    let condition: string;
    if (rule.op === 'in' || rule.op === 'notIn') {
      const list = (rule.value as Array<string | number>).map(sqlLiteral).join(', ');
      // A NULL (missing attribute) never matches, as in evaluateRules.
      condition = `${column} IS NOT NULL AND ${column} ${rule.op === 'in' ? 'IN' : 'NOT IN'} (${list})`;
    } else {
      condition = `${column} ${sqlOperators[rule.op]} ${sqlLiteral(rule.value as string | number)}`;
    }
    return `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)::BIGINT AS ${sqlIdentifier(rule.name)}`;
  });
}
