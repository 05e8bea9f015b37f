import { Command, CommanderError } from 'commander';
import { describeError, isTierlabError } from '../errors.ts';
import { registerAdviseCommand } from './advise.ts';
import { registerCapacityCommand } from './capacity.ts';
import { registerClaimsCommand } from './claims.ts';
import { registerCleanCommand } from './clean.ts';
import { registerFloorCommand } from './floor.ts';
import { registerCompareCommand } from './compare.ts';
import { registerDemoCommand } from './demo.ts';
import { registerGenerateCommand } from './generate.ts';
import { servicesForCommand } from './provide.ts';
import { registerRunCommands } from './run.ts';
import type { CliIo } from './io.ts';
import { registerServicesCommand } from './services.ts';
import { registerSoakCommand } from './soak.ts';
import { packageVersion } from './version.ts';
import { registerWorkshopCommand } from './workshop.ts';

/** The CLI is the one place that reads process.env and writes to the terminal. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const program = new Command('tierlab')
    .description('batch, micro-batch and streaming on one event stream: measured latency and cost')
    .version(packageVersion(), '-V, --version', 'print the version of tierlab')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerServicesCommand(program, io);
  registerRunCommands(program, io, process.stderr.isTTY === true);
  registerAdviseCommand(program, io);
  registerCapacityCommand(program, io, process.stderr.isTTY === true);
  registerSoakCommand(program, io);
  registerFloorCommand(program, io);
  registerCompareCommand(program, io);
  registerClaimsCommand(program, io);
  registerCleanCommand(program, io);
  registerDemoCommand(program, io);
  registerWorkshopCommand(program, io);
  registerGenerateCommand(program, {
    io,
    isTty: process.stderr.isTTY === true,
    kafka: async () => {
      const services = await servicesForCommand(io);
      if (services.owned) {
        io.err('note: these servers stop when this command ends; `tierlab services up` keeps them running');
      }
      return { endpoint: services.kafka.endpoint, release: () => services.stop() };
    },
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.err(`tierlab: ${describeError(error)}`);
    if (process.env.TIERLAB_DEBUG) io.err(String((error as Error).stack));
    return isTierlabError(error, 'BAD_INPUT') ? 2 : 1;
  }
}

const io: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
process.exitCode = await main(process.argv.slice(2), io);
