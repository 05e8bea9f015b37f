import { sampleProcessTree } from '../metrics/resources.ts';

/** CPU µs used so far: by a process tree (a server, a JVM, from /proc), or by this process (its DuckDB threads included). */
export type CpuMeter = () => Promise<number>;

export const ownCpu: CpuMeter = async () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/** A process tree's CPU, or undefined when the process is not this machine's to read (an external or containerised server). */
export function processCpu(pid: number | undefined): CpuMeter | undefined {
  if (pid === undefined) return undefined;
  return async () => ((await sampleProcessTree(pid))?.cpuSeconds ?? 0) * 1e6;
}

/** Runs `work` and returns its result with the CPU µs the meters counted meanwhile, added. */
export async function metered<T>(meters: ReadonlyArray<CpuMeter | undefined>, work: () => Promise<T>): Promise<{ value: T; cpuMicros: number }> {
  const present = meters.filter((meter): meter is CpuMeter => meter !== undefined);
  const before = await Promise.all(present.map((meter) => meter()));
  const value = await work();
  const after = await Promise.all(present.map((meter) => meter()));
  return { value, cpuMicros: after.reduce((sum, micros, i) => sum + (micros - before[i]!), 0) };
}
