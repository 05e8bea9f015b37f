import type { TierName } from '../tiers/types.ts';
import type { TierSummary } from './summary.ts';

/** A tier as the outputs name it: its name, with its engine where that is not the Node one ("streaming (kafka-streams)"). */
export function tierLabel(name: TierName, tier: Pick<TierSummary, 'engine'> | undefined): string {
  return engineLabel(name, tier?.engine?.name);
}

/** The same label from the engine's name alone, before a run has recorded it (the live demo's lanes). */
export function engineLabel(name: TierName, engine: string | undefined): string {
  return engine && engine !== 'node' ? `${name} (${engine})` : name;
}

/** Which engine ran each tier, its version, and a JVM's start-up (kept out of what was measured). */
export function enginesText(tiers: Array<[TierName, TierSummary]>): string {
  const parts = tiers.map(([name, tier]) => {
    const engine = tier.engine;
    if (!engine) return `${name}: not recorded`;
    const startup = engine.startupMs !== undefined ? `, started in ${(engine.startupMs / 1000).toFixed(1)} s (not measured)` : '';
    // On a cluster the job's tasks run in its JVMs, not under the worker: /proc sees only the process that submitted it.
    const cluster = engine.cluster ? `, on the cluster at ${engine.cluster}: its CPU and memory there are not measured, so CPU per event and the cost from it count only the submitting process` : '';
    return `${name}: ${engine.name} (${engine.version}${startup})${cluster}`;
  });
  return parts.join('; ');
}
