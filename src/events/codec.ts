import { TierlabError } from '../errors.ts';
import type { LabEvent } from './types.ts';

/** The wire format: one JSON object, fields in a fixed order, so encoding is byte-deterministic. */
export function encodeEvent(event: LabEvent): string {
  return `{"seq":${event.seq},"key":${JSON.stringify(event.key)},"eventTimeMicros":${event.eventTimeMicros},"amountCents":${event.amountCents},"attrs":${JSON.stringify(event.attrs)}}`;
}

/** Events further in the future than this, against the reader's clock, are rejected. */
export const maxFutureMicros = 86_400_000_000;

function bad(message: string, details: Record<string, unknown>): TierlabError {
  return new TierlabError('BAD_INPUT', message, { details });
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Decodes and validates one record. A malformed one throws BAD_INPUT with a reason that names
 * the field and the value; the tiers send it, with that reason, to their dead-letter topic.
 */
export function decodeEvent(bytes: Uint8Array | string, nowMicros: number): LabEvent {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw bad(`invalid JSON: ${JSON.stringify(text.slice(0, 40))}`, { text: text.slice(0, 200) });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('not a JSON object', {});
  const record = value as Record<string, unknown>;
  for (const field of ['seq', 'key', 'eventTimeMicros', 'amountCents', 'attrs']) {
    if (!(field in record)) throw bad(`missing field: ${field}`, { field });
  }
  const { seq, key, eventTimeMicros, amountCents, attrs } = record;
  if (!isInteger(seq) || seq < 0) throw bad(`bad field: seq ${JSON.stringify(seq)} is not a whole number >= 0`, { seq });
  if (typeof key !== 'string' || key === '') throw bad(`bad field: key ${JSON.stringify(key)} is not a non-empty string`, { key });
  if (!isInteger(eventTimeMicros) || eventTimeMicros <= 0) {
    throw bad(`bad field: eventTimeMicros ${JSON.stringify(eventTimeMicros)} is not a positive whole number`, { eventTimeMicros });
  }
  if (eventTimeMicros > nowMicros + maxFutureMicros) {
    throw bad(`far-future timestamp: eventTimeMicros ${eventTimeMicros} is more than a day ahead of ${nowMicros}`, { eventTimeMicros });
  }
  if (!isInteger(amountCents)) throw bad(`bad field: amountCents ${JSON.stringify(amountCents)} is not a whole number`, { amountCents });
  if (amountCents < 0) throw bad(`negative amount: amountCents ${amountCents}`, { amountCents });
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) throw bad('bad field: attrs is not an object', {});
  return { seq, key, eventTimeMicros, amountCents, attrs: attrs as LabEvent['attrs'] };
}

/** The event as one flat row — seq, key, eventTimeMicros, amountCents, then its attributes — for Parquet and SQL. */
export function flattenEvent(event: LabEvent): Record<string, string | number> {
  return { seq: event.seq, key: event.key, eventTimeMicros: event.eventTimeMicros, amountCents: event.amountCents, ...event.attrs };
}
