import type { TestProject } from 'vitest/node';
import { describeError } from '../../src/errors.ts';
import { provisionServices } from '../../src/services/provision.ts';
import { runCommand } from '../../src/services/native/commands.ts';
import { serviceSettingsFrom } from '../../src/services/settings.ts';
import { icebergModule } from '../../src/lakehouse/iceberg/module.ts';
import { ensureJvmEngine } from '../../src/tiers/jvm/build.ts';
import { prepareAllEngines } from '../../src/tiers/registry.ts';

/**
 * Starts the real Kafka and S3 once for the integration project, through the same services
 * code the CLI uses. There is no skip path: if neither external, docker nor native services can
 * be had, setup throws and the whole run fails, as CI requires.
 * Test ports default away from 9092/9000 so a developer's own servers are left alone; servers
 * a `tierlab services up` left running are reused.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = {
    TIERLAB_KAFKA_PORT: '29092',
    TIERLAB_KAFKA_CONTROLLER_PORT: '29093',
    TIERLAB_S3_PORT: '29000',
    ...process.env,
  };
  const started = Date.now();
  let services;
  try {
    services = await provisionServices({
      mode: (process.env.TIERLAB_SERVICES_MODE as 'auto' | undefined) ?? 'auto',
      ownership: 'session',
      settings: serviceSettingsFrom(env),
      env,
      onProgress: (message) => console.log(`[services] ${message}`),
    });
  } catch (error) {
    throw new Error(`integration tests need real Kafka and S3, and none could be provisioned:\n${describeError(error)}`);
  }
  const { kafka, s3 } = services;
  const description =
    `${services.mode}: ${kafka.description.server} ${kafka.description.version} at ${kafka.description.endpoint}, ` +
    `${s3.description.server} ${s3.description.version} at ${s3.description.endpoint}`;
  console.log(`[services] ${description} (ready in ${Date.now() - started} ms)`);
  // Every JVM engine built once, here, one after another: test files that run side by side would
  // otherwise build the same engine (and fetch the same jars into ~/.m2) at the same time.
  const building = Date.now();
  await prepareAllEngines({ engineCacheDir: serviceSettingsFrom(env).engineCacheDir, run: runCommand });
  // The lakehouse's curation engine is no tier's, so no tier prepares it.
  await ensureJvmEngine(icebergModule, serviceSettingsFrom(env).engineCacheDir, runCommand);
  console.log(`[engines] the JVM engines are built (${Date.now() - building} ms)`);
  project.provide('services', { mode: services.mode, kafka: kafka.endpoint, s3: s3.endpoint, description });
  return async () => {
    await services.stop();
  };
}
