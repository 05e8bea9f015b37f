import type { JvmModule } from '../../../src/tiers/jvm/build.ts';

/** engines/jvm/flink: the streaming and micro-batch tiers as a Flink job on a local MiniCluster (one module, both tiers). */
export const flinkModule: JvmModule = { folder: 'flink', mainClass: 'tierlab.engine.flink.Main' };
