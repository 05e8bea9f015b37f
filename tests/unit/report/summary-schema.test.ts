import { describe, expect, it } from 'vitest';
import { validateDataValue } from '../../../src/datafiles/load.ts';
import { isTierlabError } from '../../../src/errors.ts';
import { exactOptionality, summarySchema } from '../../../src/results/summary-schema.ts';
import type { RunSummary } from '../../../src/results/summary.ts';
import { makeRunSummary } from './summary-builder.ts';

/** The message a summary gets from validation, or undefined when it passes. */
function problemsOf(summary: unknown): string | undefined {
  try {
    validateDataValue<RunSummary>(JSON.parse(JSON.stringify(summary)), 'results/run/summary.json', summarySchema);
    return undefined;
  } catch (error) {
    expect(isTierlabError(error, 'BAD_DATA_FILE')).toBe(true);
    return (error as Error).message;
  }
}

/** A valid summary with one change made to a plain JSON copy of it. */
function changed(edit: (summary: any) => void): unknown {
  const summary = JSON.parse(JSON.stringify(makeRunSummary()));
  edit(summary);
  return summary;
}

describe('the summary.json v2 schema', () => {
  it('accepts a complete v2 summary', () => {
    expect(problemsOf(makeRunSummary())).toBeUndefined();
  });

  it('accepts a run of one tier, whose cost curve has that tier alone (`tierlab tier NAME`)', () => {
    const one = changed((s) => {
      s.tiers = { streaming: s.tiers.streaming };
      for (const point of s.cost.curve) point.usdPerYear = { streaming: point.usdPerYear.streaming };
    });
    expect(problemsOf(one)).toBeUndefined();
  });

  it('records either Node Kafka client and names any other', () => {
    expect(problemsOf(changed((s) => (s.environment.kafkaClient = 'platformatic')))).toBeUndefined();
    expect(problemsOf(changed((s) => (s.environment.kafkaClient = 'rdkafka')))).toContain('/environment/kafkaClient');
  });

  it('rejects a v1 summary, naming /schemaVersion and its value', () => {
    expect(problemsOf(changed((s) => (s.schemaVersion = 1)))).toContain('/schemaVersion must be equal to constant (got 1)');
  });

  it('rejects a percentile that is not a number, naming its pointer and the value', () => {
    const message = problemsOf(changed((s) => (s.tiers.streaming.latency.p99Micros = 'fast')));
    expect(message).toBe('results/run/summary.json: /tiers/streaming/latency/p99Micros must be number (got "fast")');
  });

  it('requires every field the interface requires, even one left out of a `required` list', () => {
    expect(problemsOf(changed((s) => delete s.tiers.batch.achievedPerSec))).toContain(
      "/tiers/batch must have required property 'achievedPerSec'",
    );
    expect(problemsOf(changed((s) => delete s.repeats))).toContain("/ must have required property 'repeats'");
  });

  it('lets optional fields be absent but not null', () => {
    expect(problemsOf(changed((s) => delete s.tiers.batch.projectedLatency))).toBeUndefined();
    expect(problemsOf(changed((s) => delete s.tiers.microbatch))).toBeUndefined();
    expect(problemsOf(changed((s) => (s.tiers.streaming.error = null)))).toContain('/tiers/streaming/error must be string (got null)');
    expect(problemsOf(changed((s) => (s.tiers.streaming = null)))).toContain('/tiers/streaming must be object (got null)');
  });

  it('takes null where the type has it: no tier recommended', () => {
    expect(problemsOf(changed((s) => (s.recommendation.tier = null)))).toBeUndefined();
    expect(problemsOf(changed((s) => (s.repeats[0].recommendation = null)))).toBeUndefined();
    expect(problemsOf(changed((s) => (s.recommendation.tier = 'lambda')))).toContain('/recommendation/tier must be equal to one of the allowed values (got "lambda")');
  });

  it('checks the enums and the repeats', () => {
    expect(problemsOf(changed((s) => (s.environment.execution = 'parallel')))).toContain('/environment/execution must be equal to one of the allowed values (got "parallel")');
    expect(problemsOf(changed((s) => (s.repeats = [])))).toContain('/repeats must NOT have fewer than 1 items');
  });

  it('allows fields it does not know, since fields may be added without a new version', () => {
    expect(problemsOf(changed((s) => (s.tiers.streaming.latency.p9999Micros = 150_000)))).toBeUndefined();
    expect(problemsOf(changed((s) => (s.faults = [])))).toBeUndefined();
  });
});

describe('exactOptionality', () => {
  it('requires every property JSONSchemaType left non-nullable, and takes null away from the optional ones', () => {
    const checked = {
      type: 'object',
      required: [],
      properties: {
        count: { type: 'integer' },
        note: { type: 'string', nullable: true },
        tier: { anyOf: [{ type: 'string' }, { type: 'null', nullable: true }] },
      },
    };
    expect(exactOptionality(checked)).toEqual({
      type: 'object',
      required: ['count', 'tier'],
      properties: {
        count: { type: 'integer' },
        note: { type: 'string' },
        tier: { anyOf: [{ type: 'string' }, { type: 'null', nullable: true }] },
      },
    });
  });
});
