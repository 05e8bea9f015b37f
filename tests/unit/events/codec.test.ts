import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, EventSource, loadDataset, malformedKinds, type LabEvent } from '../../../src/events/index.ts';

const now = Date.UTC(2026, 0, 5, 9) * 1000;
const event: LabEvent = { seq: 7, key: 'card-1', eventTimeMicros: now, amountCents: 1234, attrs: { country: 'US', mcc: '5411' } };

describe('the wire format', () => {
  it('round-trips an event with its fields in a fixed order', () => {
    const text = encodeEvent(event);
    expect(text).toBe(
      `{"seq":7,"key":"card-1","eventTimeMicros":${now},"amountCents":1234,"attrs":{"country":"US","mcc":"5411"}}`,
    );
    expect(decodeEvent(Buffer.from(text), now)).toEqual(event);
  });

  it.each([
    ['{"seq":1,"key":"k",', 'invalid JSON'],
    ['[1,2]', 'not a JSON object'],
    [`{"seq":1,"key":"k","eventTimeMicros":${now},"attrs":{}}`, 'missing field: amountCents'],
    [`{"seq":1,"key":"k","eventTimeMicros":${now},"amountCents":-5,"attrs":{}}`, 'negative amount: amountCents -5'],
    [`{"seq":1,"key":"k","eventTimeMicros":${now},"amountCents":1.5,"attrs":{}}`, 'amountCents 1.5 is not a whole number'],
    [`{"seq":1,"key":"","eventTimeMicros":${now},"amountCents":1,"attrs":{}}`, 'key "" is not a non-empty string'],
    [`{"seq":1,"key":"k","eventTimeMicros":${now + 2 * 86_400_000_000},"amountCents":1,"attrs":{}}`, 'far-future timestamp'],
  ])('rejects %s naming the problem', (text, reason) => {
    expect(() => decodeEvent(text, now)).toThrow(reason);
  });

  it('rejects every kind of malformed record the generator makes', async () => {
    const source = new EventSource({ ...(await loadDataset('payments')), malformedShare: 0.5 }, 3);
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const record = source.next(now);
      if (record.valid) continue;
      seen.add(record.kind);
      expect(() => decodeEvent(record.payload, now), record.kind).toThrow();
    }
    expect([...seen].sort()).toEqual([...malformedKinds].sort());
  });
});
