import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../events/index.ts';
import { writeFloor } from '../floor/file.ts';
import { kafkaToolRows } from '../floor/kafka-rows.ts';
import { kafkaClientNames, parseKafkaClient } from '../kafka/driver/types.ts';
import { serviceSettingsFrom } from '../services/settings.ts';
import { renderFloorTable } from '../results/floor-render.ts';
import { engineRows } from '../floor/types.ts';
import { tierEngines } from '../tiers/registry.ts';
import { runFloor } from '../floor/run-floor.ts';
import { newRunId } from '../harness/lab-run.ts';
import { limits } from '../limits.ts';
import { createLogger } from '../log.ts';
import { loadScenario, scenarioProfile } from '../scenarios/scenario.ts';
import { parseDurationMs, parsePositiveNumber, parseWholeNumber } from '../parse.ts';
import { servicesForCommand } from './provide.ts';
import { TierlabError } from '../errors.ts';
import type { CliIo } from './io.ts';
import { parseEnginePairs } from './engines.ts';

interface FloorFlags {
  rate: string;
  duration: string;
  recordSize: string;
  scenario: string;
  out: string;
  kafkaClient: string;
  engine: string[];
}

export function registerFloorCommand(program: Command, io: CliIo): void {
  program
    .command('floor')
    .description("what the broker and the engine allow: Kafka's own tools, the client's bare round trip and each tier, as ratios")
    .option('--rate <events/s>', 'offered rate of the open-loop rows', '10000')
    .option('--duration <d>', 'how long each open-loop row is fed, e.g. 30s', '30s')
    .option('--record-size <bytes>', "record size for Kafka's own tools", '170')
    .option('--scenario <name>', "where the dataset and the tiers' settings come from", 'demo')
    .option('--out <dir>', 'results folder', 'results')
    .option('--kafka-client <clients>', `the Node clients to measure, comma-separated: ${kafkaClientNames.join(', ')}`, kafkaClientNames.join(','))
    .option(
      '--engine <tier=name>',
      `the other engines measured at the same rate, TIER=NAME[,TIER=NAME], repeatable, or none (default: every one: ${engineRows.map((e) => `${e.tier}=${e.engine}`).join(', ')})`,
      (spec: string, all: string[]) => [...all, spec],
      [] as string[],
    )
    .action(async (flags: FloorFlags) => {
      const ratePerSec = parsePositiveNumber(flags.rate, '--rate', limits.ratePerSec);
      const durationSec = parseDurationMs(flags.duration, '--duration') / 1000;
      const recordBytes = parseWholeNumber(flags.recordSize, '--record-size', 1);
      const clients = [...new Set(flags.kafkaClient.split(',').map((name) => parseKafkaClient(name.trim())))];
      const scenario = await loadScenario(flags.scenario);
      const engines = enginesToMeasure(flags.engine);
      const runId = newRunId('floor');
      io.err(`tierlab: the floor at ${ratePerSec} events/s, ${durationSec} s per row, ${scenario.dataset} events`);
      const services = await servicesForCommand(io);
      const settings = serviceSettingsFrom(io.env);
      try {
        const result = await runFloor({
          runId,
          services,
          scenario,
          profile: await scenarioProfile(scenario),
          ratePerSec,
          durationSec,
          recordBytes,
          clients,
          engines,
          warmupSec: Math.min(scenario.warmupSec, Math.floor(durationSec / 3)),
          clock: systemClock,
          logger: createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' }),
          onStage: (message) => io.err(message),
        }, {
          kafkaTools: kafkaToolRows({ cacheDir: settings.cacheDir, ...(settings.javaHome ? { javaHome: settings.javaHome } : {}) }),
        });
        const path = await writeFloor(join(resolve(flags.out), runId), result);
        io.out(renderFloorTable(result));
        io.out(`\nfloor: ${path}`);
      } finally {
        await services.stop();
      }
    });
}

/** The engine rows `--engine` asks for: every one unless it names some, or none. */
export function enginesToMeasure(values: readonly string[]): typeof engineRows {
  if (values.length === 0) return engineRows;
  if (values.length === 1 && values[0]!.trim() === 'none') return [];
  const asked = parseEnginePairs(values);
  for (const pair of asked) {
    if (!engineRows.some((row) => row.tier === pair.tier && row.engine === pair.engine)) {
      const why = tierEngines[pair.tier][0] === pair.engine ? `the default engine is measured by the floor's own ${pair.tier} rows` : `the floor runs no ${pair.tier} engine at the offered rate`;
      throw new TierlabError('BAD_INPUT', `--engine ${pair.tier}=${pair.engine}: ${why}; the engines it measures so: ${engineRows.map((e) => `${e.tier}=${e.engine}`).join(', ')}`, {
        details: { flag: '--engine', tier: pair.tier, engine: pair.engine },
      });
    }
  }
  return engineRows.filter((row) => asked.some((pair) => pair.tier === row.tier && pair.engine === row.engine));
}
