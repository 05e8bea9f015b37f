import { provisionServices } from '../services/provision.ts';
import { serviceSettingsFrom } from '../services/settings.ts';
import type { Services } from '../services/types.ts';
import type { CliIo } from './services.ts';

/**
 * Kafka and S3 for one command: external or `services up` ones when there are any, otherwise
 * servers that live as long as this command. Ctrl-C stops them too.
 */
export async function servicesForCommand(io: CliIo): Promise<Services> {
  const services = await provisionServices({
    mode: (io.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
    ownership: 'session',
    settings: serviceSettingsFrom(io.env),
    env: io.env,
    onProgress: (message) => io.err(message),
  });
  const onSignal = (signal: NodeJS.Signals) => {
    void services.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return services;
}
