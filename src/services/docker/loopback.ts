import { GenericContainer } from 'testcontainers';

/**
 * A container whose fixed host ports are published on 127.0.0.1 only, as docker-compose.yml
 * publishes them: testcontainers' own withExposedPorts binds every interface, which would put the
 * lab's Kafka and MinIO (no authentication on Kafka, lab credentials on MinIO) on the network.
 */
export class LoopbackContainer extends GenericContainer {
  withLoopbackPorts(...ports: Array<{ container: number; host: number }>): this {
    this.withExposedPorts(...ports);
    for (const { container, host } of ports) {
      this.hostConfig.PortBindings = { ...this.hostConfig.PortBindings, [`${container}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(host) }] };
    }
    return this;
  }

  /** The host bindings the container will be created with (Docker's HostConfig.PortBindings). */
  portBindings(): Record<string, Array<{ HostIp?: string; HostPort?: string }>> {
    return (this.hostConfig.PortBindings ?? {}) as Record<string, Array<{ HostIp?: string; HostPort?: string }>>;
  }
}
