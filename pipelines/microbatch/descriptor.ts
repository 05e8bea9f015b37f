import type { TierDescriptor } from '../../src/tiers/descriptor.ts';
import { noSuchEngine } from '../../src/tiers/engine.ts';
import { microbatchEngineLoaders, microbatchEngines } from './engines.ts';
import { lakeBuffer, microbatchOptions, type MicrobatchOptions } from './options.ts';

export const microbatchTier: TierDescriptor<MicrobatchOptions> = {
  name: 'microbatch',
  resolve(overrides) {
    const options = microbatchOptions(overrides);
    if (!microbatchEngines.includes(options.engine)) throw noSuchEngine('microbatch', options.engine, microbatchEngines);
    return options;
  },
  engines: microbatchEngineLoaders,
  engineOf: (options) => options.engine,
  // On the lake an event waits for its delivery buffer, then for the next query.
  holdPeriodMs: (options) => (options.engine === 'lake' ? lakeBuffer(options).flushMs + options.triggerMs : options.triggerMs),
  usesLake: (options) => options.engine === 'lake',
};
