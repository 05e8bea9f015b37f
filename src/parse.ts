import { TierlabError } from './errors.ts';

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `2m`, `1h`, `1d` -> milliseconds; a bad value names the flag. */
export function parseDurationMs(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) {
    throw new TierlabError('BAD_INPUT', `${flag} must be a duration such as 500ms, 30s, 2m, 1h or 1d (got "${value}")`, {
      details: { flag, value },
    });
  }
  return Math.round(Number(match[1]) * durationUnits[match[2]!]!);
}

/** A whole number from `min` to `max`; a bad one is named with the range (with `max` only where there is one). */
export function parseWholeNumber(value: string, flag: string, min = 0, max?: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || (max !== undefined && number > max)) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new TierlabError('BAD_INPUT', `${flag} must be a whole number ${range} (got "${value}")`, { details: { flag, value } });
  }
  return number;
}

/** One of a fixed set of words; a bad one is named with the choices. */
export function parseChoice<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new TierlabError('BAD_INPUT', `${flag} must be one of ${choices.join(', ')} (got "${value}")`, { details: { flag, value } });
  }
  return value as T;
}

export function parsePositiveNumber(value: string, flag: string, max?: number): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0 || (max !== undefined && number > max)) {
    const range = max === undefined ? '> 0' : `> 0 and at most ${max}`;
    throw new TierlabError('BAD_INPUT', `${flag} must be a number ${range} (got "${value}")`, { details: { flag, value } });
  }
  return number;
}

export function parseShare(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new TierlabError('BAD_INPUT', `${flag} must be a share from 0 to 1 (got "${value}")`, { details: { flag, value } });
  }
  return number;
}

/** `2026-01-05T09:00:00Z` -> µs since the epoch. */
export function parseInstantMicros(value: string, flag: string): number {
  const millis = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(millis)) {
    throw new TierlabError('BAD_INPUT', `${flag} must be an ISO-8601 instant such as 2026-01-05T09:00:00Z (got "${value}")`);
  }
  return millis * 1000;
}
