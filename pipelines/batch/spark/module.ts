import type { JvmModule } from '../../../src/tiers/jvm/build.ts';
import { sparkModule } from '../../microbatch/spark/module.ts';

/** engines/jvm/spark, as the batch job: the same module and Java flags as micro-batch on Spark, another main class. */
export const sparkBatchModule: JvmModule = { ...sparkModule, mainClass: 'tierlab.engine.spark.BatchMain' };
