import { describe, expect, it } from 'vitest';
import { parseEngines } from '../../../src/cli/engines.ts';

describe('--engine TIER=NAME[,TIER=NAME]', () => {
  it('reads pairs from one flag or several, and nothing when not given', () => {
    expect(parseEngines([])).toEqual({});
    expect(parseEngines(['microbatch=lake'])).toEqual({ microbatch: 'lake' });
    expect(parseEngines(['microbatch=lake,streaming=node'])).toEqual({ microbatch: 'lake', streaming: 'node' });
    expect(parseEngines(['microbatch=lake', 'batch=node'])).toEqual({ microbatch: 'lake', batch: 'node' });
    // The same pair twice says one thing.
    expect(parseEngines(['microbatch=lake', 'microbatch=lake'])).toEqual({ microbatch: 'lake' });
  });

  it('names an engine a tier does not have, with the engines it has', () => {
    expect(() => parseEngines(['streaming=storm'])).toThrow('streaming has no engine "storm"; its engines: node, kafka-streams, flink');
    expect(() => parseEngines(['microbatch=storm'])).toThrow('microbatch has no engine "storm"; its engines: node, lake, flink, spark');
  });

  it('names a tier that does not exist, with the tiers', () => {
    expect(() => parseEngines(['nosuch=x'])).toThrow('--engine names no tier "nosuch"; the tiers: batch, microbatch, streaming');
  });

  it('refuses a malformed pair or a tier given two engines', () => {
    expect(() => parseEngines(['lake'])).toThrow('--engine must be TIER=NAME[,TIER=NAME], e.g. microbatch=lake (got "lake")');
    expect(() => parseEngines(['microbatch=lake,'])).toThrow('--engine must be TIER=NAME[,TIER=NAME], e.g. microbatch=lake (got "")');
    expect(() => parseEngines(['microbatch=lake=x'])).toThrow('(got "microbatch=lake=x")');
    expect(() => parseEngines(['microbatch=lake', 'microbatch=node'])).toThrow('--engine names microbatch twice (lake and node)');
    try {
      parseEngines(['lake']);
    } catch (error) {
      expect(error).toMatchObject({ code: 'BAD_INPUT' });
    }
  });
});
