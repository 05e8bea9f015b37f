import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import logUpdate from 'log-update';
import { writeCapacity } from '../capacity/file.ts';
import { renderCapacityTable } from '../results/capacity-render.ts';
import { searchCapacity, searchDefaults } from '../capacity/search.ts';
import { capacitySchemaVersion, type CapacityResult } from '../results/capacity.ts';
import { capacityProbe } from '../harness/capacity-probe.ts';
import { forkGenerator } from '../harness/generator/process.ts';
import { newRunId } from '../harness/lab-run.ts';
import { warmServices } from '../harness/warmup.ts';
import { createLogger } from '../log.ts';
import { human } from '../results/recommend.ts';
import { loadScenario, scenarioProfile } from '../scenarios/scenario.ts';
import { machineEnvironment } from '../services/machine.ts';
import { holdPeriodMs } from '../tiers/registry.ts';
import { tierNames, type TierName } from '../tiers/types.ts';
import { parseChoice, parsePositiveNumber, parseWholeNumber } from '../parse.ts';
import { servicesForCommand } from './provide.ts';
import { engineOption, parseEngines } from './engines.ts';
import type { CliIo } from './io.ts';

interface CapacityFlags {
  engine: string[];
  tier?: string;
  quick?: boolean;
  out: string;
  stepSec?: string;
  factor: string;
  maxSteps?: string;
}

export function registerCapacityCommand(program: Command, io: CliIo, isTty: boolean): void {
  engineOption(program.command('capacity'))
    .description("the latency-vs-offered-rate curve: steps a tier's rate up until its p99 passes the SLA or it falls behind")
    .argument('<scenario>', 'a name in bench/scenarios/ or a path to a .yaml file')
    .option('--tier <name>', `one of ${tierNames.join(', ')} (default: all three, one after another)`)
    .option('--quick', 'shorter steps, fewer of them')
    .option('--out <dir>', 'results folder', 'results')
    .option('--step-sec <s>', 'seconds each rate is offered (default 30, quick 10)')
    .option('--factor <x>', 'each step offers this many times the previous rate', String(searchDefaults.factor))
    .option('--max-steps <n>', `steps at most (default ${searchDefaults.maxSteps}, quick ${searchDefaults.quickMaxSteps})`)
    .action(async (name: string, flags: CapacityFlags) => {
      const tiers: TierName[] = flags.tier ? [parseChoice(flags.tier, '--tier', tierNames)] : [...tierNames];
      const scenario = await loadScenario(name, { quick: flags.quick === true, engines: parseEngines(flags.engine) });
      const stepSec = flags.stepSec ? parseWholeNumber(flags.stepSec, '--step-sec', 5) : scenario.quick ? 10 : 30;
      const factor = parsePositiveNumber(flags.factor, '--factor');
      const maxSteps = flags.maxSteps ? parseWholeNumber(flags.maxSteps, '--max-steps', 1) : scenario.quick ? searchDefaults.quickMaxSteps : searchDefaults.maxSteps;
      const runId = newRunId(scenario.name);
      const dir = join(resolve(flags.out), runId);
      io.err(`tierlab: capacity of ${tiers.join(', ')} on ${scenario.name}: SLA ${human(scenario.slaMs * 1000)} at p99, steps of ${stepSec} s from ${scenario.rate.ratePerSec}/s, x${factor}`);
      const services = await servicesForCommand(io);
      const logger = createLogger({ level: io.env.TIERLAB_LOG_LEVEL ?? 'warn' });
      const generator = await forkGenerator(services.kafka.endpoint);
      try {
        io.err(`warming Kafka and S3 at ${scenario.rate.ratePerSec} events/s until produce latency stops improving`);
        await warmServices({
          generator,
          s3: services.s3.endpoint,
          profile: await scenarioProfile(scenario),
          partitions: scenario.partitions,
          ratePerSec: scenario.rate.ratePerSec,
          maxSec: scenario.quick ? 20 : 40,
        });
        const result: CapacityResult = {
          schemaVersion: capacitySchemaVersion,
          scenario: scenario.name,
          runId,
          startedAt: new Date().toISOString(),
          slaP99Micros: scenario.slaMs * 1000,
          environment: machineEnvironment(services),
          quick: scenario.quick,
          stepSec,
          tiers: {},
        };
        for (const tier of tiers) {
          result.tiers[tier] = await searchCapacity({
            startPerSec: scenario.rate.ratePerSec,
            factor,
            maxSteps,
            slaP99Micros: result.slaP99Micros,
            backlog: { cycleMicros: holdPeriodMs(tier, scenario) * 1000 },
            probe: capacityProbe({
              runId,
              scenario,
              services,
              tier,
              generator,
              stepSec,
              warmupSec: Math.min(scenario.warmupSec, Math.floor(stepSec / 3)),
              logger,
              onProgress: (p) => {
                if (isTty) logUpdate(`${tier}: ${p.phase}, ${p.produced.toLocaleString('en-US')} events, generator lag ${human(p.generatorLagMicros)}`);
              },
            }),
            onStep: (step) => {
              if (isTty) logUpdate.done();
              io.err(`  ${tier} at ${step.offeredPerSec.toLocaleString('en-US')}/s: p99 ${step.count ? human(step.p99Micros) : 'no data'}, achieved ${Math.round(step.achievedPerSec).toLocaleString('en-US')}/s${step.reason ? ` (${step.reason})` : ''}`);
            },
          });
        }
        await mkdir(dir, { recursive: true });
        const path = await writeCapacity(dir, result);
        io.out(renderCapacityTable(result));
        io.out(`\ncapacity: ${path}`);
      } finally {
        await generator.close();
        await services.stop();
      }
    });
}
