import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { kafkaAnswers } from '../kafka/client.ts';
import { s3Answers } from '../lake/s3-client.ts';
import { composeDown, composeUp } from '../services/docker/compose.ts';
import { dockerAnswers } from '../services/docker/index.ts';
import {
  attachedHandle,
  externalStatus,
  networkProbes,
  parseExternalConfig,
  servicesOf,
  type Environment,
  type ExternalProbes,
} from '../services/external.ts';
import { runCommand } from '../services/native/commands.ts';
import { identify, type ProcessIdentity } from '../services/native/identity.ts';
import { stopProcessGroup } from '../services/native/process.ts';
import { controllerPortAfter, parsePort } from '../services/ports.ts';
import { provisionServices } from '../services/provision.ts';
import { maskSecrets, secretsOf } from '../services/secrets.ts';
import { serviceSettingsFrom, stateFilePath, type ServiceSettings } from '../services/settings.ts';
import { attachToRunning, clearState, ownedPids, readState, stateOf, writeState, type ServicesState } from '../services/state.ts';
import { pinned } from '../services/versions.ts';
import type { ModeChoice, ServiceDescription, Services } from '../services/types.ts';
import { parseWarehouseUrl } from '../services/warehouse-external.ts';
import { externalStatusLines, externalStatusOk } from './services-status.ts';
import { startWarehouseDaemon, stopWarehouseDaemon, warehouseStatus } from './services-warehouse.ts';
import { table } from './text-table.ts';
import type { CliIo } from './io.ts';


const composeFile = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

const modeOption = () =>
  new Option('--mode <mode>', 'where Kafka and S3 come from').choices(['auto', 'external', 'docker', 'native']).default('auto');

/** `probes` check external servers; tests pass their own so that nothing goes over the network. */
export function registerServicesCommand(program: Command, io: CliIo, probes: ExternalProbes = networkProbes): void {
  const services = program.command('services').description('provision, show and stop Kafka, S3 and the warehouse (PostgreSQL)');
  services
    .command('up')
    .description('start Kafka, S3 and, where it can be had, the warehouse (PostgreSQL), and leave them running for later commands')
    .addOption(modeOption())
    .option('--kafka-port <port>', 'Kafka broker port (default 9092, or TIERLAB_KAFKA_PORT)')
    .option('--s3-port <port>', 'S3 server port (default 9000, or TIERLAB_S3_PORT)')
    .option('--postgres-port <port>', 'warehouse (PostgreSQL) port (default 15432, or TIERLAB_POSTGRES_PORT)')
    .action(async (options: { mode: ModeChoice; kafkaPort?: string; s3Port?: string; postgresPort?: string }) => {
      const settings = withPorts(serviceSettingsFrom(io.env), options, io.env);
      const statePath = stateFilePath(settings);
      const secrets = new Set([...secretsIn(io.env), settings.s3Credentials.secretAccessKey, settings.warehouseCredentials.password]);
      const shown = maskingIo(io, secrets);
      const running = await attachToRunning(statePath);
      if (running) {
        const warehouse = (await readState(statePath))?.warehouse;
        for (const secret of secretsOf({ kafka: running.kafka.endpoint, s3: running.s3.endpoint, warehouse: warehouse?.endpoint })) secrets.add(secret);
        shown.err('services are already running; `tierlab services down` stops them');
        printServices(shown, running, warehouse?.description);
        return;
      }
      const started = await startDaemons(settings, options.mode, shown, probes);
      for (const secret of secretsOf({ kafka: started.state.kafka.endpoint, s3: started.state.s3.endpoint })) secrets.add(secret);
      // Kafka and S3 are recorded first: should the warehouse's start go wrong, `down` still stops them.
      await writeState(statePath, started.state);
      const warehouse = await startWarehouseDaemon(settings, started.state.mode, shown, probes.warehouse);
      if ('state' in warehouse) {
        secrets.add(warehouse.state.endpoint.password);
        await writeState(statePath, { ...started.state, warehouse: warehouse.state });
      }
      printServices(shown, started.services, 'state' in warehouse ? warehouse.state.description : undefined);
      if ('problem' in warehouse) shown.err(`warehouse (PostgreSQL): not available: ${warehouse.problem}`);
      shown.out(`state: ${statePath}`);
    });
  services
    .command('status')
    .description('show the services in use (external ones, or those `up` started), and whether they answer')
    .action(async () => {
      // External servers come first, as they do for every command that provisions (docs/services.md).
      const external = parseExternalConfig(io.env);
      if (external) {
        const status = await externalStatus(external, probes);
        const warehouse = await warehouseStatus(io.env, undefined, probes.warehouse);
        const shown = maskingIo(io, [...secretsOf(external), ...secretsIn(io.env)]);
        for (const line of externalStatusLines(status)) shown.out(line);
        if (warehouse) shown.out(`warehouse: ${warehouse.description.server} ${warehouse.description.version} at ${warehouse.description.endpoint}: ${healthText(warehouse.health)}`);
        if (!externalStatusOk(status) || (warehouse && !warehouse.health.ok)) process.exitCode = 1;
        return;
      }
      const settings = serviceSettingsFrom(io.env);
      const state = await readState(stateFilePath(settings));
      if (!state) {
        io.out('no services are running (start them with: tierlab services up)');
        process.exitCode = 1;
        return;
      }
      const shown = maskingIo(io, [...secretsOf({ kafka: state.kafka.endpoint, s3: state.s3.endpoint, warehouse: state.warehouse?.endpoint }), ...secretsIn(io.env)]);
      const services = fromState(state);
      const [kafka, s3, warehouse] = await Promise.all([services.kafka.health(), services.s3.health(), warehouseStatus(io.env, state.warehouse, probes.warehouse)]);
      printServices(shown, services, warehouse?.description);
      shown.out(
        `health: kafka ${healthText(kafka)}; s3 ${healthText(s3)}; ` +
          `warehouse ${warehouse ? healthText(warehouse.health) : 'none (`services up` could not start it; see its output)'}`,
      );
      if (!kafka.ok || !s3.ok || (warehouse && !warehouse.health.ok)) process.exitCode = 1;
    });
  services
    .command('down')
    .description('stop the services that `up` started')
    .action(async () => {
      const settings = serviceSettingsFrom(io.env);
      const statePath = stateFilePath(settings);
      const state = await readState(statePath);
      if (!state) {
        io.out('no services are running');
        return;
      }
      const { owned, strangers } = await ownedPids(state);
      for (const stranger of strangers) io.err(`left alone: ${stranger}`);
      const [warehouse] = await Promise.all([stopWarehouseDaemon(state.warehouse, io), ...owned.map((pid) => stopProcessGroup(pid))]);
      if (state.composeFile) await composeDown(state.composeFile, runCommand);
      await rm(join(settings.stateDir, 'native'), { recursive: true, force: true });
      await clearState(statePath);
      const pids = warehouse === undefined ? owned : [...owned, warehouse];
      io.out(`stopped ${state.mode} services${pids.length ? ` (pids ${pids.join(', ')})` : ''}`);
    });
}

async function startDaemons(
  settings: ServiceSettings,
  mode: ModeChoice,
  io: CliIo,
  probes: ExternalProbes,
): Promise<{ services: Services; state: ServicesState }> {
  const wantsDocker = mode === 'docker' || (mode === 'auto' && !io.env.KAFKA_BROKERS && !io.env.S3_ENDPOINT && (await dockerAnswers()));
  if (wantsDocker) {
    io.err(`starting ${pinned.kafka.image} and ${pinned.minio.image} with docker compose`);
    await composeUp(composeFile, settings, runCommand);
    const services = await provisionServices({
      mode: 'external',
      ownership: 'daemon',
      settings,
      env: {
        KAFKA_BROKERS: `localhost:${settings.kafkaPort}`,
        S3_ENDPOINT: `http://localhost:${settings.s3Port}`,
        S3_ACCESS_KEY_ID: settings.s3Credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: settings.s3Credentials.secretAccessKey,
      },
    });
    const state = stateOf(services, [], composeFile);
    state.mode = 'docker';
    state.kafka.description = { ...state.kafka.description, mode: 'docker', server: 'Apache Kafka', version: pinned.kafka.version };
    state.s3.description = { ...state.s3.description, mode: 'docker', server: 'MinIO', version: pinned.minio.image.split(':')[1] ?? '' };
    return { services: fromState(state), state };
  }
  const services = await provisionServices({
    mode: mode === 'auto' ? (io.env.KAFKA_BROKERS || io.env.S3_ENDPOINT ? 'external' : 'native') : mode,
    ownership: 'daemon',
    settings,
    env: io.env,
    externalProbes: probes,
    onProgress: (message) => io.err(message),
  });
  const pids = [services.kafka.description.pid, services.s3.description.pid].filter((pid): pid is number => pid !== undefined);
  const processes = (await Promise.all(pids.map((pid) => identify(pid)))).filter((p): p is ProcessIdentity => p !== undefined);
  return { services, state: stateOf(services, pids, undefined, processes) };
}

/**
 * The io for output that may carry credentials: a server's description, a client's error text
 * (which may quote the endpoint it was given). Every line is written with the secrets masked.
 */
function maskingIo(io: CliIo, secrets: Iterable<string>): CliIo {
  const mask = (line: string) => maskSecrets(line, [...secrets]);
  return { env: io.env, out: (line) => io.out(mask(line)), err: (line) => io.err(mask(line)) };
}

/** The secrets of the external servers the environment names; none when it names them badly (that error comes later). */
function secretsIn(env: Environment): string[] {
  const parsed = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch {
      return undefined;
    }
  };
  return secretsOf({ ...parsed(() => parseExternalConfig(env)), warehouse: parsed(() => parseWarehouseUrl(env)) });
}

function healthText(health: { ok: boolean; detail: string }): string {
  return `${health.ok ? 'ok' : 'DOWN'} (${health.detail})`;
}

function fromState(state: ServicesState): Services {
  return servicesOf(
    state.mode,
    attachedHandle(state.kafka.endpoint, state.kafka.description, () => kafkaAnswers(state.kafka.endpoint)),
    attachedHandle(state.s3.endpoint, state.s3.description, () => s3Answers(state.s3.endpoint)),
  );
}

function withPorts(settings: ServiceSettings, options: { kafkaPort?: string; s3Port?: string; postgresPort?: string }, env: Environment): ServiceSettings {
  const next = { ...settings };
  if (options.kafkaPort !== undefined) {
    next.kafkaPort = parsePort(options.kafkaPort, '--kafka-port');
    // The controller follows the broker unless TIERLAB_KAFKA_CONTROLLER_PORT names its port.
    if (!env.TIERLAB_KAFKA_CONTROLLER_PORT) next.kafkaControllerPort = controllerPortAfter(next.kafkaPort, '--kafka-port');
  }
  if (options.s3Port !== undefined) next.s3Port = parsePort(options.s3Port, '--s3-port');
  if (options.postgresPort !== undefined) next.postgresPort = parsePort(options.postgresPort, '--postgres-port');
  return next;
}

/** The servers in use, the warehouse's last where there is one. */
export function printServices(io: CliIo, services: Services, warehouse?: ServiceDescription): void {
  const described = [services.kafka.description, services.s3.description, ...(warehouse ? [warehouse] : [])];
  const rows = described.map((d) => [
    d.server,
    d.version,
    d.endpoint,
    d.startedAt,
    `${(d.startMillis / 1000).toFixed(1)} s`,
    d.pid ? String(d.pid) : '-',
  ]);
  io.out(`mode: ${services.mode}`);
  io.out(table([['server', 'version', 'endpoint', 'started at', 'start took', 'pid'], ...rows]));
}
