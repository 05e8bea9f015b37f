import { describe, expect, it } from 'vitest';
import { streamingOptions } from '../../../pipelines/streaming/index.ts';

describe('streaming options', () => {
  it('hands every partition of a fetch over at once unless partitionsConcurrently is set', () => {
    expect(streamingOptions().partitionsConcurrently).toBeUndefined();
    expect(streamingOptions({ partitionsConcurrently: 2 }).partitionsConcurrently).toBe(2);
  });

  it('rejects a partitionsConcurrently below 1, naming it and the value', () => {
    expect(() => streamingOptions({ partitionsConcurrently: 0 })).toThrow('streaming partitionsConcurrently must be a whole number >= 1 (got 0)');
  });
});
