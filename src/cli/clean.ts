import type { Command } from 'commander';
import { findStores, removeStores, runStartedMs } from '../harness/cleanup.ts';
import { parseDurationMs } from '../parse.ts';
import { servicesForCommand } from './provide.ts';
import type { CliIo } from './io.ts';

interface CleanFlags {
  olderThan: string;
  dryRun?: boolean;
}

/**
 * `tierlab clean`: the topics, consumer groups and buckets that runs left behind (a run killed
 * before it could remove its own, or one run with --keep), by the start time in their names. A
 * run still going is younger than --older-than and is left alone.
 */
export function registerCleanCommand(program: Command, io: CliIo): void {
  program
    .command('clean')
    .description("remove the topics, consumer groups and buckets that runs left in Kafka and S3")
    .option('--older-than <duration>', 'only what runs started at least this long ago made (a run still going is younger)', '1h')
    .option('--dry-run', 'list them, remove nothing')
    .action(async (flags: CleanFlags) => {
      const olderThanMs = parseDurationMs(flags.olderThan, '--older-than');
      const services = await servicesForCommand(io);
      try {
        const before = Date.now() - olderThanMs;
        const stores = await findStores(services.kafka.endpoint, services.s3.endpoint, (name) => {
          const started = runStartedMs(name);
          return started !== undefined && started <= before;
        });
        const count = `${stores.topics.length} topics, ${stores.groups.length} consumer groups and ${stores.buckets.length} buckets`;
        for (const [kind, names] of Object.entries(stores)) for (const name of names as string[]) io.out(`${kind.slice(0, -1)} ${name}`);
        if (flags.dryRun) {
          io.out(`would remove ${count} of runs started more than ${flags.olderThan} ago`);
          return;
        }
        const { groupsLeft } = await removeStores(services.kafka.endpoint, services.s3.endpoint, stores);
        io.out(`removed ${count} of runs started more than ${flags.olderThan} ago`);
        if (groupsLeft.length > 0) io.out(`${groupsLeft.length} consumer groups still have members and were left: ${groupsLeft.join(', ')}`);
      } finally {
        await services.stop();
      }
    });
}
