import { env as processEnv } from 'node:process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { s3Answers } from '../../lake/s3-client.ts';
import { assertPortFree } from '../ports.ts';
import type { S3Endpoint } from '../types.ts';
import type { NativeServer } from './kafka.ts';
import { startServer, type Ownership } from './process.ts';

export interface NativeS3Options {
  java: string;
  classpath: string;
  workDir: string;
  host: string;
  port: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  heapMegabytes: number;
  ownership: Ownership;
  startTimeoutMillis?: number;
}

/** S3Proxy over its filesystem backend: a real S3 API server whose objects are files in workDir. */
export async function startNativeS3(options: NativeS3Options): Promise<NativeServer<S3Endpoint>> {
  await assertPortFree(options.port, options.host, 'the S3 server (S3Proxy)');
  const blobDir = join(options.workDir, 'blobs');
  const propertiesPath = join(options.workDir, 's3proxy.properties');
  const logbackPath = join(options.workDir, 'logback.xml');
  const logPath = join(options.workDir, 's3proxy.log');
  await mkdir(blobDir, { recursive: true });
  const endpointUrl = `http://${options.host}:${options.port}`;
  await writeFile(
    propertiesPath,
    [
      '# Written by tierlab.',
      `s3proxy.endpoint=${endpointUrl}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${options.accessKeyId}`,
      `s3proxy.credential=${options.secretAccessKey}`,
      'jclouds.provider=filesystem-nio2',
      `jclouds.filesystem.basedir=${blobDir}`,
      '',
    ].join('\n'),
  );
  // S3Proxy's bundled logback config logs every request at DEBUG; keep the log to what matters.
  await writeFile(
    logbackPath,
    '<configuration><appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %-5level %logger{36} - %msg%n</pattern></encoder></appender><root level="WARN"><appender-ref ref="STDOUT"/></root></configuration>\n',
  );
  const endpoint: S3Endpoint = {
    endpoint: endpointUrl,
    region: options.region,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
  };
  const launch = () =>
    startServer(
      {
        name: 's3proxy',
        command: options.java,
        args: [
          `-Xmx${options.heapMegabytes}m`,
          `-Dlogback.configurationFile=${logbackPath}`,
          '-cp',
          options.classpath,
          'org.gaul.s3proxy.Main',
          '--properties',
          propertiesPath,
        ],
        // Object keys are file names here: under a locale that is not UTF-8 (a bare CI shell) Java 17
        // names files in ASCII and S3Proxy refuses a key with any other character ("Bad Request").
        env: utf8Locale(processEnv),
        logPath,
        workDir: options.workDir,
      },
      options.ownership,
      { name: 'S3Proxy', answers: async () => (await s3Answers(endpoint)).ok, timeoutMillis: options.startTimeoutMillis ?? 60_000 },
    );
  const process = await launch();
  return {
    process,
    endpoint,
    logPath,
    // The objects are files under blobDir: a restart serves the same ones.
    async relaunch() {
      await assertPortFree(options.port, options.host, 'the S3 server (S3Proxy)');
      return launch();
    },
  };
}

/** `env` with a UTF-8 locale: as it is when it names one, else with LC_ALL=C.UTF-8 (glibc's built-in). */
export function utf8Locale(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale) ? env : { ...env, LC_ALL: 'C.UTF-8' };
}
