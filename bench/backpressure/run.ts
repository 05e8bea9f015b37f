// `npm run bench:backpressure`: each Kafka tier offered about twice its capacity, with its
// worker's RSS and backlog sampled; prints, per tier, the RSS while it kept up and while the
// backlog stood, the backlog, and the verdict of src/metrics/backpressure.ts. Exits 1 when a
// tier's memory grew past its allowance. Services as every command gets them (TIERLAB_* ports).
//
//   --capacity R      the tier's capacity in events/s (default: the newest capacity.json of the
//                     demo scenario in --results, else 30,000); the flood offers 2 x R
//   --tier NAME       streaming or microbatch (default: both)
//   --flood-sec S     seconds of flood (default 15); --after-sec S  seconds watched after (default 10)
//   --calm-sec S      seconds at half the capacity first (default 8); --verbose  every sample
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { latestCapacityFor } from '../../src/capacity/file.ts';
import { describeError } from '../../src/errors.ts';
import { forkGenerator } from '../../src/harness/generator/process.ts';
import { defaultKafkaClient, parseKafkaClient } from '../../src/kafka/driver/index.ts';
import { silentLogger } from '../../src/log.ts';
import type { OverloadSample } from '../../src/metrics/backpressure.ts';
import { provisionServices } from '../../src/services/provision.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import type { TierName } from '../../src/tiers/types.ts';
import { overloadDefaults } from './allowance.ts';
import { describeBackpressure, measureBackpressure } from './measure.ts';

const { values: flags } = parseArgs({
  options: {
    capacity: { type: 'string' },
    tier: { type: 'string' },
    'kafka-client': { type: 'string' },
    'flood-sec': { type: 'string', default: '15' },
    'after-sec': { type: 'string', default: '10' },
    'calm-sec': { type: 'string', default: '8' },
    verbose: { type: 'boolean', default: false },
    results: { type: 'string', default: 'results' },
  },
  strict: true,
});
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (perSec: number) => `${Math.round(perSec).toLocaleString('en-US')}/s`;

const tiers: TierName[] = flags.tier ? [flags.tier as TierName] : ['streaming', 'microbatch'];
const kafkaClient = flags['kafka-client'] ? parseKafkaClient(flags['kafka-client']) : defaultKafkaClient;

async function capacityOf(tier: TierName): Promise<{ perSec: number; from: string }> {
  if (flags.capacity) return { perSec: Number(flags.capacity), from: '--capacity' };
  const stored = await latestCapacityFor(flags.results, 'demo').catch(() => undefined);
  const measured = stored?.result.tiers[tier]?.maxRatePerSec;
  if (measured) return { perSec: measured, from: stored!.path };
  return { perSec: overloadDefaults.capacityPerSec, from: 'the default (no capacity.json of demo found)' };
}

const services = await provisionServices({
  mode: (process.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
  ownership: 'session',
  settings: serviceSettingsFrom(process.env),
  env: process.env,
  onProgress: (message) => console.error(message),
});
const generator = await forkGenerator(services.kafka.endpoint);
let failed = false;
try {
  for (const tier of tiers) {
    const capacity = await capacityOf(tier);
    console.log(`\n${tier} (${kafkaClient}): capacity ${rate(capacity.perSec)} from ${capacity.from}; calm ${flags['calm-sec']} s at half of it, flood ${flags['flood-sec']} s at twice it, then ${flags['after-sec']} s`);
    const result = await measureBackpressure({
      runId: `bp-${randomUUID().slice(0, 8)}`,
      services: { kafka: services.kafka.endpoint, s3: services.s3.endpoint },
      tier,
      kafkaClient,
      dataset: 'payments',
      seed: 42,
      partitions: 6,
      capacityPerSec: capacity.perSec,
      calmSec: Number(flags['calm-sec']),
      floodSec: Number(flags['flood-sec']),
      afterSec: Number(flags['after-sec']),
      generator,
      logger: silentLogger,
      ...(flags.verbose
        ? { onSample: (s: OverloadSample) => process.stderr.write(`  ${s.phase.padEnd(5)} rss ${mib(s.rssBytes).padStart(8)}  backlog ${s.backlog.toLocaleString('en-US').padStart(9)}  visible ${s.visible.toLocaleString('en-US')}\n`) }
        : {}),
    });
    for (const line of describeBackpressure(result)) console.log(`  ${line}`);
    const verdict = result.verdict;
    if (!verdict.bounded) failed = true;
  }
} catch (error) {
  console.error(describeError(error));
  failed = true;
} finally {
  await generator.close();
  await services.stop();
}
process.exitCode = failed ? 1 : 0;
