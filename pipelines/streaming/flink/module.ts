import type { TierContext } from '../../../src/tiers/types.ts';
import type { JvmModule } from '../../../src/tiers/jvm/build.ts';

/** engines/jvm/flink: the streaming and micro-batch tiers as a Flink job on a local MiniCluster (one module, both tiers). */
export const flinkModule: JvmModule = { folder: 'flink', mainClass: 'tierlab.engine.flink.Main' };

/** The Flink cluster the job is submitted to, where FLINK_REST_URL names one: else a MiniCluster in the engine's process. */
export function flinkCluster(context: TierContext): { url: string; setting: string } | undefined {
  const url = context.engineClusters?.flinkRestUrl;
  return url ? { url, setting: 'flinkRestUrl' } : undefined;
}
