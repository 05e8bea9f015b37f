import { TierlabError } from '../../errors.ts';
import { pinned } from '../versions.ts';
import type { CommandRunner } from './commands.ts';

export interface JavaInfo {
  command: string;
  major: number;
  versionLine: string;
}

/** `java -version` and `mvn -v` start a JVM and print a line: a minute is ample even on a loaded laptop. */
const versionCheck = { timeoutMs: 60_000 };

const installHint =
  'Install Java 17 or newer and Maven (Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven), ' +
  'or Docker, or point KAFKA_BROKERS and S3_ENDPOINT at servers you run.';

/** Finds the Java that will run the native servers; JAVA_HOME wins over PATH, as in Kafka's own scripts. */
export async function detectJava(run: CommandRunner, javaHome: string | undefined): Promise<JavaInfo> {
  const command = javaHome ? `${javaHome}/bin/java` : 'java';
  let output: string;
  try {
    const result = await run(command, ['-version'], versionCheck);
    output = result.stderr + result.stdout;
    if (result.code !== 0) throw new Error(output.trim() || `exit code ${result.code}`);
  } catch (cause) {
    throw new TierlabError('PREREQUISITE_MISSING', `Java was not found (tried "${command}"). ${installHint}`, {
      cause,
      details: { command },
    });
  }
  const versionLine = output.split('\n').find((line) => line.includes('version')) ?? output.trim();
  const major = parseJavaMajor(versionLine);
  if (major < pinned.minimumJava) {
    throw new TierlabError(
      'PREREQUISITE_MISSING',
      `Java ${pinned.minimumJava}+ is needed for Kafka ${pinned.kafka.version}, but "${command}" is ${versionLine.trim()}. ${installHint}`,
      { details: { command, major } },
    );
  }
  return { command, major, versionLine: versionLine.trim() };
}

/** `openjdk version "17.0.15"` -> 17; `java version "1.8.0_392"` -> 8. */
export function parseJavaMajor(versionLine: string): number {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionLine);
  if (!match) return 0;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2] ?? 0) : first;
}

export async function detectMaven(run: CommandRunner): Promise<string> {
  try {
    const result = await run('mvn', ['-v'], versionCheck);
    if (result.code !== 0) throw new Error(result.stderr || `exit code ${result.code}`);
    return result.stdout.split('\n')[0]?.replace(/\x1b\[[0-9;]*m/g, '').trim() ?? 'mvn';
  } catch (cause) {
    throw new TierlabError(
      'PREREQUISITE_MISSING',
      `Maven was not found; it fetches the Kafka and S3Proxy jars from Maven Central once. ${installHint}`,
      { cause },
    );
  }
}
