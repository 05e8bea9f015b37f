import { describe, expect, it } from 'vitest';
import { enginesToMeasure } from '../../../src/cli/floor.ts';
import { engineRows } from '../../../src/floor/types.ts';

describe('the engine rows tierlab floor measures', () => {
  it('measures every other engine by default, the ones named, or none', () => {
    expect(enginesToMeasure([])).toEqual(engineRows);
    expect(engineRows.map((e) => e.row)).toContain('streaming-kafka-streams');
    expect(enginesToMeasure(['streaming=kafka-streams'])).toEqual([{ tier: 'streaming', engine: 'kafka-streams', row: 'streaming-kafka-streams' }]);
    expect(enginesToMeasure(['none'])).toEqual([]);
  });

  it('refuses a default engine (the node rows measure it) and an engine a tier does not have, naming them', () => {
    expect(() => enginesToMeasure(['streaming=node'])).toThrow(/^--engine streaming=node: the default engine is measured by the floor's own streaming rows; the engines it measures so: .*streaming=kafka-streams/);
    // A batch job's floor is its own rows (the job beside DuckDB on local disk), not a run at the offered rate.
    expect(engineRows.map((e) => e.row)).not.toContain('batch-spark');
    expect(() => enginesToMeasure(['batch=spark'])).toThrow(/^--engine batch=spark: the floor runs no batch engine at the offered rate/);
    expect(() => enginesToMeasure(['streaming=spark'])).toThrow('streaming has no engine "spark"');
  });
});
