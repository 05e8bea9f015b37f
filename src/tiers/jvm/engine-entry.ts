import type { EngineEntry, EngineLoader } from '../descriptor.ts';
import { ensureJvmEngine, type JvmModule } from './build.ts';

/** A tier's engine that runs on the JVM: built from its module of engines/jvm before a worker loads it. */
export function jvmEngine<Options>(module: JvmModule, load: EngineLoader<Options>, check?: (options: Options) => void): EngineEntry<Options> {
  return {
    load,
    ...(check ? { check } : {}),
    async prepare(deps) {
      await ensureJvmEngine(module, deps.engineCacheDir, deps.run);
    },
  };
}
