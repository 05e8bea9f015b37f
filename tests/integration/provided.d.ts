import type { KafkaEndpoint, S3Endpoint, ServiceMode } from '../../src/services/types.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The real services that global-setup.ts provisioned once for every integration test. */
    services: { mode: ServiceMode; kafka: KafkaEndpoint; s3: S3Endpoint; description: string };
  }
}
