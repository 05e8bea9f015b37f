/**
 * Every server version tierlab runs, pinned in one place: the native jars, the container
 * images and docker-compose.yml must agree (a unit test checks the compose file).
 */
export const pinned = {
  kafka: {
    version: '4.3.1',
    maven: { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13' },
    image: 'apache/kafka:4.3.1',
  },
  s3proxy: {
    version: '4.1.0',
    maven: { groupId: 'org.gaul', artifactId: 's3proxy' },
  },
  minio: {
    // MinIO's community edition was archived in 2026; this is its last published image.
    image: 'quay.io/minio/minio:RELEASE.2024-12-13T22-19-12Z',
  },
  postgres: {
    // The warehouse server (issue 21): Debian 12's PostgreSQL, the major release pinned; Debian
    // and the image's tag both follow its minor (security) releases.
    major: 15,
    debianPackage: 'postgresql-15',
    /** Where Debian's package puts the server binaries; they are not on PATH. */
    binDir: '/usr/lib/postgresql/15/bin',
    image: 'postgres:15',
  },
  /** Extra artifacts that make the classpaths whole; see native/classpaths.ts for why. */
  log4j: '2.26.1',
  slf4j: '2.0.17',
  jacksonAnnotations: '2.21',
  minimumJava: 17,
} as const;
