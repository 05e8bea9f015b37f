import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTierlabError, TierlabError } from '../../errors.ts';
import { exists, lastLines, mavenFlags } from '../../services/native/classpaths.ts';
import type { CommandRunner } from '../../services/native/commands.ts';

/** The repository's JVM engines (a Maven project, one module per engine). */
export const jvmEnginesDir = fileURLToPath(new URL('../../../engines/jvm/', import.meta.url));

/** One module of engines/jvm: its folder and the class its process starts. */
export interface JvmModule {
  /** The module's folder under engines/jvm (its Maven artifact is tierlab-engine-FOLDER). */
  folder: string;
  mainClass: string;
  /** JVM flags the engine needs besides the heap (Spark on Java 17: its --add-opens). */
  jvmArgs?: readonly string[];
}

const completeMarker = '.complete';

/**
 * The folder in the cache that holds a module built from these sources: named by a hash of what
 * goes into it (the parent pom, common/ and the module's folder), so an edited engine is built
 * again and an unchanged one never is.
 */
export async function builtEngineDir(module: JvmModule, cacheDir: string): Promise<string> {
  return join(cacheDir, `${module.folder}-${await sourcesHash(module)}`);
}

/**
 * Builds a module with Maven, once per version of its sources, into the cache: its own jar and
 * every runtime dependency from Maven Central in `lib/`. Written beside and renamed into place, so
 * a build cut short is never taken for a whole one and two builds at once never share a folder.
 * Returns the classpath for `java -cp`.
 */
export async function ensureJvmEngine(module: JvmModule, cacheDir: string, run: CommandRunner): Promise<{ classpath: string; built: boolean }> {
  const home = await builtEngineDir(module, cacheDir);
  const classpath = join(home, 'lib', '*');
  if (await exists(join(home, completeMarker))) return { classpath, built: false };
  const scratch = `${home}.building-${process.pid}-${Date.now()}`;
  const artifact = `tierlab-engine-${module.folder}`;
  try {
    const result = await run(
      'mvn',
      [...mavenFlags, '-pl', module.folder, '-am', 'package', 'dependency:copy-dependencies', '-DskipTests', '-DincludeScope=runtime',
        `-DoutputDirectory=${join(scratch, 'lib')}`, `-Dtierlab.buildDir=${join(scratch, 'build')}`],
      { cwd: jvmEnginesDir },
    ).catch((cause: unknown) => {
      if (isTierlabError(cause, 'TIMEOUT')) throw cause;
      throw new TierlabError('PREREQUISITE_MISSING', `Maven (mvn) could not be run to build the ${module.folder} engine`, { cause });
    });
    if (result.code !== 0) {
      throw new TierlabError('ENGINE_BUILD_FAILED', `the ${module.folder} engine did not build: ${lastLines(result.stdout + result.stderr, 8)}`, {
        details: { module: module.folder },
      });
    }
    await copyFile(join(scratch, 'build', artifact, `${artifact}-1.jar`), join(scratch, 'lib', `${artifact}-1.jar`));
    await rm(join(scratch, 'build'), { recursive: true, force: true });
    await writeFile(join(scratch, completeMarker), new Date().toISOString());
    await mkdir(cacheDir, { recursive: true });
    // Another build may have finished first: theirs is the same, keep it.
    await rename(scratch, home).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    await pruneOlderBuilds(module, home);
    return { classpath, built: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Builds of the module from sources since changed: hundreds of MiB each (Spark's near 300), never used again. */
async function pruneOlderBuilds(module: JvmModule, current: string): Promise<void> {
  const cacheDir = dirname(current);
  const older = new RegExp(`^${module.folder}-[0-9a-f]{12}$`);
  for (const entry of await readdir(cacheDir)) {
    if (older.test(entry) && join(cacheDir, entry) !== current) await rm(join(cacheDir, entry), { recursive: true, force: true });
  }
}

/** A module's sources, hashed: the parent pom, common/ and its own folder, but nothing a build writes. */
async function sourcesHash(module: JvmModule): Promise<string> {
  const hash = createHash('sha256');
  const files = [join(jvmEnginesDir, 'pom.xml'), ...(await filesUnder(join(jvmEnginesDir, 'common'))), ...(await filesUnder(join(jvmEnginesDir, module.folder)))];
  for (const file of files.sort()) {
    hash.update(relative(jvmEnginesDir, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'target' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else files.push(path);
  }
  return files;
}

