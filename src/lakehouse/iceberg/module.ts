import type { JvmModule } from '../../tiers/jvm/build.ts';
import { sparkJavaOptions } from '../../tiers/jvm/spark-java-options.ts';

/**
 * engines/jvm/iceberg: the lakehouse's curation step, Spark 4.1.1 with Iceberg 1.12.0 (pinned in
 * its pom.xml), built and cached like the tiers' engines (src/tiers/jvm/build.ts).
 */
export const icebergModule: JvmModule = { folder: 'iceberg', mainClass: 'tierlab.engine.iceberg.Main', jvmArgs: sparkJavaOptions };
