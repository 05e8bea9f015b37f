import { describe, expect, it } from 'vitest';
import { lakeBuffer, microbatchOptions } from '../../../pipelines/microbatch/options.ts';
import { engineOf, holdPeriodMs, impliedArchitectures, layerTierOptions, resolveTierOptions, tierEngines, usesLake } from '../../../src/tiers/registry.ts';
import { noSuchEngine } from '../../../src/tiers/engine.ts';

describe('micro-batch engine options', () => {
  it('default to the node engine, with no buffer of their own', () => {
    const options = microbatchOptions();
    expect(options.engine).toBe('node');
    expect(options.bufferMs).toBeUndefined();
    expect(options.bufferRecords).toBeUndefined();
  });

  it('give the lake engine a buffer interval of one trigger unless bufferMs says, and the lake sink\'s size unless bufferRecords says', () => {
    expect(lakeBuffer(microbatchOptions({ engine: 'lake', triggerMs: 3_000 }))).toEqual({ flushMs: 3_000, flushRecords: 20_000 });
    expect(lakeBuffer(microbatchOptions({ engine: 'lake', triggerMs: 3_000, bufferMs: 60_000, bufferRecords: 500 }))).toEqual({ flushMs: 60_000, flushRecords: 500 });
  });

  it('refuse an engine the tier does not have, listing those it has', () => {
    expect(() => resolveTierOptions({ microbatch: { engine: 'storm' } })).toThrow('microbatch has no engine "storm"; its engines: node, lake, flink, spark');
    try {
      resolveTierOptions({ microbatch: { engine: 'storm' } });
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_INPUT', details: { tier: 'microbatch', engine: 'storm', engines: ['node', 'lake', 'flink', 'spark'] } });
    }
  });

  it('refuse a buffer that is not a whole number in range, naming the value', () => {
    expect(() => microbatchOptions({ bufferMs: 0 })).toThrow('micro-batch bufferMs must be a whole number from 1 to 900000 (got 0)');
    expect(() => microbatchOptions({ bufferMs: 900_001 })).toThrow('micro-batch bufferMs must be a whole number from 1 to 900000 (got 900001)');
    expect(() => microbatchOptions({ bufferMs: 1.5 })).toThrow('micro-batch bufferMs must be a whole number from 1 to 900000 (got 1.5)');
    expect(() => microbatchOptions({ bufferRecords: 0 })).toThrow('micro-batch bufferRecords must be a whole number >= 1 (got 0)');
    expect(() => microbatchOptions({ bufferRecords: 2.5 })).toThrow('micro-batch bufferRecords must be a whole number >= 1 (got 2.5)');
  });
});

describe('the registry and engines', () => {
  it('lists each tier\'s engines, the default first', () => {
    expect(tierEngines).toEqual({ batch: ['node', 'spark'], microbatch: ['node', 'lake', 'flink', 'spark'], streaming: ['node', 'kafka-streams', 'flink'] });
    expect(engineOf('microbatch', {})).toBe('node');
    expect(engineOf('microbatch', { microbatch: { engine: 'lake' } })).toBe('lake');
    expect(engineOf('streaming', { microbatch: { engine: 'lake' } })).toBe('node');
  });

  it('has a lake micro-batch use a bucket, as batch does, and a node one not', () => {
    const node = resolveTierOptions({});
    const lake = resolveTierOptions({ microbatch: { engine: 'lake' } });
    expect(usesLake('batch', node)).toBe(true);
    expect(usesLake('microbatch', node)).toBe(false);
    expect(usesLake('microbatch', lake)).toBe(true);
    expect(usesLake('streaming', lake)).toBe(false);
  });

  it('refuses an engine a tier does not have when the options are checked, naming the ones it has', () => {
    expect(() => resolveTierOptions({ streaming: { engine: 'spark' } })).toThrow('streaming has no engine "spark"; its engines: node, kafka-streams, flink');
  });

  it('layers overrides tier by tier, merging a group of settings one level down', () => {
    const layered = layerTierOptions(
      { batch: { periodMs: 20_000, lake: { flushRecords: 10, flushMs: 5 } }, microbatch: { triggerMs: 5_000 } },
      { batch: { lake: { flushMs: 7 } } },
      { microbatch: { engine: 'lake' } },
    );
    expect(layered).toEqual({ batch: { periodMs: 20_000, lake: { flushRecords: 10, flushMs: 7 } }, microbatch: { triggerMs: 5_000, engine: 'lake' } });
  });

  it('prices an engine or a guarantee deployed differently as its own architecture', () => {
    expect(impliedArchitectures(resolveTierOptions({}))).toEqual({});
    expect(impliedArchitectures(resolveTierOptions({ microbatch: { engine: 'lake' }, streaming: { guarantee: 'exactly-once' } }))).toEqual({
      microbatch: 'microbatch-lake',
      streaming: 'streaming-exactly-once',
    });
  });

  it('holds an event on the lake for the buffer and then the query', () => {
    const node = resolveTierOptions({ microbatch: { triggerMs: 5_000 } });
    expect(holdPeriodMs('microbatch', node)).toBe(5_000);
    const lake = resolveTierOptions({ microbatch: { engine: 'lake', triggerMs: 5_000 } });
    expect(holdPeriodMs('microbatch', lake)).toBe(10_000);
    const buffered = resolveTierOptions({ microbatch: { engine: 'lake', triggerMs: 5_000, bufferMs: 60_000 } });
    expect(holdPeriodMs('microbatch', buffered)).toBe(65_000);
  });

  it('refuses a guarantee an engine cannot give when the options are checked, naming it', () => {
    expect(() => resolveTierOptions({ streaming: { engine: 'flink', guarantee: 'exactly-once' } })).toThrow(
      'the flink streaming engine runs at least once only (got guarantee exactly-once): choose at-least-once or another engine',
    );
    expect(resolveTierOptions({ streaming: { engine: 'kafka-streams', guarantee: 'exactly-once' } }).streaming.guarantee).toBe('exactly-once');
  });

  it('holds an event on spark for up to a trigger, with no bucket, priced as a Kafka micro-batch', () => {
    const spark = resolveTierOptions({ microbatch: { engine: 'spark', triggerMs: 5_000 } });
    expect(holdPeriodMs('microbatch', spark)).toBe(5_000);
    expect(usesLake('microbatch', spark)).toBe(false);
    expect(impliedArchitectures(spark)).toEqual({});
  });

  it('words a missing engine the same way wherever it is asked for', () => {
    expect(noSuchEngine('streaming', 'flink', ['node']).message).toBe('streaming has no engine "flink"; its engines: node');
  });
});
