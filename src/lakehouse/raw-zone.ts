/**
 * The lakehouse's raw zone: every record of the stream as its producer sent it, one NDJSON line
 * each, whatever its shape (schema on read). Objects are named by the Kafka offsets they hold, as
 * the batch tier's raw zone is (src/lake/raw-zone.ts), so a retried or repeated landing writes
 * the same keys instead of duplicating lines.
 */
export const lakehouseRawPrefix = 'lakehouse/raw/';
export const lakehouseDeadLetterPrefix = 'lakehouse/dead-letter/';

export interface LakehouseRawObject {
  topic: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export function lakehouseRawKey(name: LakehouseRawObject): string {
  const offset = (value: bigint) => value.toString().padStart(20, '0');
  return `${lakehouseRawPrefix}${name.topic}+${name.partition}+${offset(name.firstOffset)}+${offset(name.lastOffset)}.ndjson`;
}

const rawKeyPattern = /^lakehouse\/raw\/(.+)\+(\d+)\+(\d{20})\+(\d{20})\.ndjson$/;

export function parseLakehouseRawKey(key: string): LakehouseRawObject | undefined {
  const match = rawKeyPattern.exec(key);
  if (!match) return undefined;
  return { topic: match[1]!, partition: Number(match[2]), firstOffset: BigInt(match[3]!), lastOffset: BigInt(match[4]!) };
}

const eventTimeField = /"eventTimeMicros":(\d{1,17})[,}]/;

/**
 * A line's event time where it can be read without trusting the line (a cut or retyped record may
 * still carry it): freshness is measured on what has one. Undefined for a line without.
 */
export function lineEventTimeMicros(line: string): number | undefined {
  const match = eventTimeField.exec(line);
  return match ? Number(match[1]) : undefined;
}
