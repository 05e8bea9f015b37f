import { describe, expect, it } from 'vitest';
import { driftCases, EventSource, loadDataset } from '../../../src/events/index.ts';
import { recordPayload } from '../../../src/events/sinks/kafka.ts';
import { SwampCounter } from '../../../src/lakehouse/swamp.ts';

describe("the raw zone's swamp count", () => {
  it('finds the fields no dataset documents, lines landed twice, lines that are not objects, and files without a schema', async () => {
    const payments = await loadDataset('payments');
    const counter = new SwampCounter(payments);
    counter.addFile();
    counter.addFile();
    counter.addLine('{"seq":1,"key":"card-1","eventTimeMicros":5,"amountCents":10,"attrs":{"country":"US"}}');
    counter.addLine('{"seq":1,"key":"card-1","eventTimeMicros":5,"amountCents":10,"attrs":{"country":"US"}}');
    counter.addLine('{"seq":2,"key":"card-2","eventTimeMicros":6,"amount_cents":10,"attrs":{"country":"US","loyaltyTier":"gold"},"deviceId":"d-1"}');
    counter.addLine('{"seq":3,"key":"card-2","eventTimeMicros":7,"amountCents":1,"attrs":{},"deviceId":"d-2"}');
    counter.addLine('{"seq":4,"key":');
    counter.addLine('[1,2]');
    expect(counter.count()).toEqual({
      undocumentedFields: [
        { field: 'deviceId', lines: 2 },
        { field: 'amount_cents', lines: 1 },
        { field: 'attrs.loyaltyTier', lines: 1 },
      ],
      duplicateLines: 1,
      unparseableLines: 2,
      filesWithoutSchema: 2,
    });
  });

  it("counts exactly the generator's drift: the new and the renamed field's lines, and the cut ones", async () => {
    const payments = await loadDataset('payments');
    const profile = { ...payments, malformedShare: 0, drift: driftCases.map((drift) => ({ case: drift, share: 0.05 })) };
    const source = new EventSource(profile, 3);
    const counter = new SwampCounter(profile);
    const made = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const record = source.next(1_000 + i);
      const drift = record.valid ? record.drift : record.kind;
      if (drift) made.set(drift, (made.get(drift) ?? 0) + 1);
      counter.addLine(recordPayload(record));
    }
    const count = counter.count();
    expect(count.undocumentedFields).toEqual(
      expect.arrayContaining([
        { field: 'deviceId', lines: made.get('new-field') },
        { field: 'amount_cents', lines: made.get('renamed-field') },
      ]),
    );
    expect(count.undocumentedFields).toHaveLength(2);
    expect(count.unparseableLines).toBe(made.get('malformed-json'));
    expect(count.duplicateLines).toBe(0);
  });
});
