import { TierlabError, describeError } from '../errors.ts';
import { dockerAnswers, startDockerServices } from './docker/index.ts';
import { connectExternal, networkProbes, parseExternalConfig, type Environment, type ExternalConfig, type ExternalProbes } from './external.ts';
import { runCommand, type CommandRunner } from './native/commands.ts';
import { checkNativePrerequisites, startNativeServices } from './native/index.ts';
import type { Ownership } from './native/process.ts';
import { stateFilePath, type ServiceSettings } from './settings.ts';
import { attachToRunning } from './state.ts';
import type { ModeChoice, Services } from './types.ts';

export interface ProvisionOptions {
  mode: ModeChoice;
  ownership: Ownership;
  settings: ServiceSettings;
  env: Environment;
  run?: CommandRunner;
  dockerProbe?: () => Promise<boolean>;
  /** How external servers are checked; tests pass their own. */
  externalProbes?: ExternalProbes;
  onProgress?: (message: string) => void;
}

/**
 * Kafka and S3 in the order of docs/services.md: external (KAFKA_BROKERS/S3_ENDPOINT),
 * then servers a `services up` left running, then docker, then native. A named mode is
 * tried alone, and its failure is the error.
 */
export async function provisionServices(options: ProvisionOptions): Promise<Services> {
  const { mode, settings } = options;
  const run = options.run ?? runCommand;
  const progress = options.onProgress ?? (() => undefined);
  const native = () =>
    startNativeServices({
      ...settings,
      daemonDir: `${settings.stateDir}/native`,
      ownership: options.ownership,
      run,
      onProgress: progress,
    });
  const docker = () => startDockerServices(settings);
  const external = (config: ExternalConfig) => connectExternal(config, Date.now, options.externalProbes ?? networkProbes);

  if (mode === 'external') {
    const config = parseExternalConfig(options.env);
    if (!config) throw new TierlabError('BAD_INPUT', '--mode external needs KAFKA_BROKERS and S3_ENDPOINT to be set');
    return external(config);
  }
  if (mode === 'docker') {
    if (!(await (options.dockerProbe ?? dockerAnswers)())) {
      throw new TierlabError('PREREQUISITE_MISSING', 'no container runtime answers (is Docker running?)');
    }
    return docker();
  }
  if (mode === 'native') return native();

  const externalConfig = parseExternalConfig(options.env);
  if (externalConfig) {
    progress('using external services from KAFKA_BROKERS and S3_ENDPOINT');
    return external(externalConfig);
  }
  if (options.ownership === 'session') {
    const running = await attachToRunning(stateFilePath(settings));
    if (running) {
      progress(`using the ${running.mode} services that 'tierlab services up' started`);
      return running;
    }
  }
  if (await (options.dockerProbe ?? dockerAnswers)()) {
    progress('a container runtime answers: starting Kafka and MinIO with testcontainers');
    return docker();
  }
  let nativeProblem: unknown;
  try {
    await checkNativePrerequisites(run, settings.javaHome);
  } catch (error) {
    nativeProblem = error;
  }
  if (nativeProblem === undefined) {
    progress('no container runtime: starting Kafka and S3Proxy natively from their Maven Central jars');
    return native();
  }
  throw new TierlabError(
    'PREREQUISITE_MISSING',
    'cannot provide Kafka and S3: no KAFKA_BROKERS/S3_ENDPOINT set, no container runtime answers, and ' +
      `the native path is not possible (${describeError(nativeProblem).replace(/^PREREQUISITE_MISSING: /, '')}). ` +
      'Install Docker, or Java 17+ with Maven, or point KAFKA_BROKERS and S3_ENDPOINT at your own servers.',
    { cause: nativeProblem },
  );
}
