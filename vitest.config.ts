import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Stopping the shared Kafka and S3 at the end takes a few seconds (Kafka shuts down cleanly).
    teardownTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          // One set of real services is shared, and two files run side by side (TIERLAB_IT_WORKERS=1:
          // one at a time). Most of a file's time is a paced stream and the tiers' triggers and
          // schedules, not CPU, so two take little longer than one; every file names its own
          // topics, groups and buckets (service-faults and orphans start servers of their own on
          // ports apart), the JVM engines are built once before any file starts (global-setup), and
          // no assertion depends on being alone.
          maxWorkers: Number(process.env.TIERLAB_IT_WORKERS ?? 2),
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
