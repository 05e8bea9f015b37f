import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isTierlabError, TierlabError } from '../../errors.ts';
import { pinned } from '../versions.ts';
import type { CommandRunner } from './commands.ts';

export interface Artifact {
  groupId: string;
  artifactId: string;
  version: string;
}

export interface ClasspathSpec {
  /** Folder name in the cache, versioned so an upgrade never mixes jars. */
  name: string;
  artifacts: Artifact[];
}

// Kafka logs through SLF4J; these give it a backend. kafka-clients still pulls slf4j-api 1.7,
// which cannot see the SLF4J 2 provider, so the 2.x API is named here.
const loggingBackend: Artifact[] = [
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: pinned.log4j },
  { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-slf4j2-impl', version: pinned.log4j },
  { groupId: 'org.slf4j', artifactId: 'slf4j-api', version: pinned.slf4j },
];

export const kafkaClasspath: ClasspathSpec = {
  name: `kafka-${pinned.kafka.version}`,
  artifacts: [{ ...pinned.kafka.maven, version: pinned.kafka.version }, ...loggingBackend],
};

/**
 * Kafka's own performance tools (EndToEndLatency, ProducerPerformance), at the broker's version
 * so `tierlab floor` measures the floor with the Java client that ships with that broker.
 */
export const kafkaToolsClasspath: ClasspathSpec = {
  name: `kafka-tools-${pinned.kafka.version}`,
  artifacts: [{ groupId: 'org.apache.kafka', artifactId: 'kafka-tools', version: pinned.kafka.version }, ...loggingBackend],
};

export const s3proxyClasspath: ClasspathSpec = {
  name: `s3proxy-${pinned.s3proxy.version}`,
  artifacts: [
    { ...pinned.s3proxy.maven, version: pinned.s3proxy.version },
    // S3Proxy 4.1's Jackson 3 needs annotations 2.20+; Maven's nearest-wins picks 2.18 otherwise.
    { groupId: 'com.fasterxml.jackson.core', artifactId: 'jackson-annotations', version: pinned.jacksonAnnotations },
  ],
};

export interface ResolvedClasspath {
  libDir: string;
  /** `libDir/*`, as java -cp wants it. */
  classpath: string;
  jarCount: number;
  bytes: number;
  downloaded: boolean;
  millis: number;
}

const completeMarker = '.complete';

/**
 * Makes sure the jars of `spec` are in `cacheDir/spec.name/lib`, fetching them with Maven once.
 * A marker written last makes an interrupted fetch start over instead of running half a classpath.
 */
/**
 * How tierlab runs Maven: in batch mode, quietly, and failing on a checksum that does not match
 * the repository's (Maven's default is to warn and use the jar anyway).
 */
export const mavenFlags = ['-B', '-q', '--strict-checksums'] as const;

export async function ensureClasspath(
  spec: ClasspathSpec,
  cacheDir: string,
  run: CommandRunner,
  now: () => number = Date.now,
): Promise<ResolvedClasspath> {
  const started = now();
  const home = join(cacheDir, spec.name);
  const libDir = join(home, 'lib');
  let downloaded = false;
  if (!(await exists(join(home, completeMarker)))) {
    downloaded = true;
    await rm(home, { recursive: true, force: true });
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'pom.xml'), renderPom(spec));
    const result = await run(
      'mvn',
      [...mavenFlags, 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`, '-DincludeScope=runtime'],
      { cwd: home },
    ).catch((cause: unknown) => {
      if (isTierlabError(cause, 'TIMEOUT')) throw cause; // Maven ran but hung: saying it could not run would mislead
      throw new TierlabError('PREREQUISITE_MISSING', 'Maven (mvn) could not be run to fetch the server jars', { cause });
    });
    if (result.code !== 0) {
      throw new TierlabError(
        'DOWNLOAD_FAILED',
        `Maven could not fetch ${spec.artifacts.map(describeArtifact).join(', ')}: ${lastLines(result.stdout + result.stderr)}`,
        { retriable: true, details: { spec: spec.name } },
      );
    }
    await writeFile(join(home, completeMarker), new Date(now()).toISOString());
  }
  const jars = (await readdir(libDir)).filter((file) => file.endsWith('.jar'));
  let bytes = 0;
  for (const jar of jars) bytes += (await stat(join(libDir, jar))).size;
  return { libDir, classpath: join(libDir, '*'), jarCount: jars.length, bytes, downloaded, millis: now() - started };
}

export function renderPom(spec: ClasspathSpec): string {
  const dependencies = spec.artifacts
    .map(
      (a) =>
        `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tierlab to fetch a server's jars with mvn dependency:copy-dependencies. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>tierlab.cache</groupId>
  <artifactId>${spec.name}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

function describeArtifact(a: Artifact): string {
  return `${a.groupId}:${a.artifactId}:${a.version}`;
}

/** A tool's last lines of output, colours stripped, on one line: what an error quotes of Maven. */
export function lastLines(text: string, count = 5): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-count).join(' | ');
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
