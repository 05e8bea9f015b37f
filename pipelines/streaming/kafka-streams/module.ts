import type { JvmModule } from '../../../src/tiers/jvm/build.ts';

/** engines/jvm/kafka-streams: the streaming tier as a Kafka Streams application. */
export const kafkaStreamsModule: JvmModule = { folder: 'kafka-streams', mainClass: 'tierlab.engine.kstreams.Main' };
