import { open, readdir } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** Linux reports CPU time in clock ticks: 100 per second on every mainstream kernel config. */
const ticksPerSecond = 100;
const pageBytes = 4096;

export interface ProcessSample {
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU time (user + system) and resident memory of a process and all its descendants, from /proc. */
export async function sampleProcessTree(pid: number): Promise<ProcessSample | undefined> {
  const stat = await readStat(pid);
  if (!stat) return undefined;
  // A child that has exited and been reaped leaves the tree, and its CPU moves into its parent's
  // reaped-children count: counted there, a tree's CPU never goes down (an engine JVM that exits
  // before the last sample is still the tier's work).
  const own = { cpuSeconds: stat.cpuSeconds + stat.reapedChildrenCpuSeconds, rssBytes: stat.rssBytes };
  for (const child of await childrenOf(pid)) {
    const sample = await sampleProcessTree(child);
    if (sample) {
      own.cpuSeconds += sample.cpuSeconds;
      own.rssBytes += sample.rssBytes;
    }
  }
  return own;
}

/** One process alone, its children left out (so a parent is not charged for the workers it reaped either). */
export async function sampleProcess(pid: number): Promise<ProcessSample | undefined> {
  const stat = await readStat(pid);
  return stat ? { cpuSeconds: stat.cpuSeconds, rssBytes: stat.rssBytes } : undefined;
}

/**
 * A /proc file's text, read in small pooled chunks. /proc files show a size of 0, for which
 * readFile allocates a fresh 64 KB buffer per read: a sample reads one file per thread of every
 * process watched (hundreds for the JVM servers), and those buffers pushed the harness into a full
 * GC every second while it measured (5-13 ms pauses, ~2 s of GC in 40 s).
 */
async function readProcFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1024);
    const decoder = new StringDecoder('utf8');
    let text = '';
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return text + decoder.end();
      text += decoder.write(chunk.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
}

async function readStat(pid: number): Promise<(ProcessSample & { reapedChildrenCpuSeconds: number }) | undefined> {
  const stat = await readProcFile(`/proc/${pid}/stat`).catch(() => undefined);
  if (!stat) return undefined;
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  const rssPages = Number(fields[21]);
  return { cpuSeconds: (utime! + stime!) / ticksPerSecond, reapedChildrenCpuSeconds: (cutime! + cstime!) / ticksPerSecond, rssBytes: rssPages * pageBytes };
}

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const children: number[] = [];
  for (const task of tasks) {
    const text = await readProcFile(`/proc/${pid}/task/${task}/children`).catch(() => '');
    children.push(...text.split(' ').filter(Boolean).map(Number));
  }
  return children;
}

export interface ProcessUsageTotals {
  cpuSeconds: number;
  peakRssBytes: number;
  meanRssBytes: number;
  samples: number;
}

/**
 * Samples named processes every interval on a timer that never keeps the process alive.
 * CPU is the difference between the first and last sample, so only the measured span counts.
 */
export class ResourceSampler {
  readonly #targets = new Map<string, { pid: number; withChildren: boolean }>();
  readonly #onSample: ((name: string, pid: number, sample: ProcessSample) => void) | undefined;
  readonly #first = new Map<string, ProcessSample>();
  readonly #last = new Map<string, ProcessSample>();
  readonly #rss = new Map<string, { peak: number; sum: number; count: number }>();
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();

  /** onSample: told every sample as it is taken (a soak keeps each process's RSS over time). */
  constructor(options: { onSample?: (name: string, pid: number, sample: ProcessSample) => void } = {}) {
    this.#onSample = options.onSample;
  }

  /**
   * withChildren: count the process's descendants too (a server under its watchdog shell). Off
   * for a parent whose children are measured under their own names, so nothing counts twice.
   */
  watch(name: string, pid: number, options: { withChildren?: boolean } = {}): void {
    this.#targets.set(name, { pid, withChildren: options.withChildren ?? true });
  }

  start(intervalMs = 1_000): void {
    this.#timer = setInterval(() => {
      this.#sampling = this.#sampling.then(() => this.sample());
    }, intervalMs);
    this.#timer.unref();
    this.#sampling = this.sample();
  }

  async sample(): Promise<void> {
    for (const [name, { pid, withChildren }] of this.#targets) {
      const sample = withChildren ? await sampleProcessTree(pid) : await sampleProcess(pid);
      if (!sample) continue;
      this.#onSample?.(name, pid, sample);
      if (!this.#first.has(name)) this.#first.set(name, sample);
      this.#last.set(name, sample);
      const rss = this.#rss.get(name) ?? this.#rss.set(name, { peak: 0, sum: 0, count: 0 }).get(name)!;
      rss.peak = Math.max(rss.peak, sample.rssBytes);
      rss.sum += sample.rssBytes;
      rss.count++;
    }
  }

  async stop(): Promise<Map<string, ProcessUsageTotals>> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#sampling;
    await this.sample();
    const totals = new Map<string, ProcessUsageTotals>();
    for (const name of this.#targets.keys()) {
      const first = this.#first.get(name);
      const last = this.#last.get(name);
      const rss = this.#rss.get(name);
      if (!first || !last || !rss) continue;
      totals.set(name, {
        cpuSeconds: last.cpuSeconds - first.cpuSeconds,
        peakRssBytes: rss.peak,
        meanRssBytes: rss.sum / rss.count,
        samples: rss.count,
      });
    }
    return totals;
  }
}

/** Adds one measured span's totals to another's: CPU adds up, the peak is the larger, the mean is weighted by samples. */
export function addUsageTotals(into: Map<string, ProcessUsageTotals>, from: Map<string, ProcessUsageTotals>): void {
  for (const [name, usage] of from) {
    const before = into.get(name);
    if (!before) {
      into.set(name, { ...usage });
      continue;
    }
    const samples = before.samples + usage.samples;
    into.set(name, {
      cpuSeconds: before.cpuSeconds + usage.cpuSeconds,
      peakRssBytes: Math.max(before.peakRssBytes, usage.peakRssBytes),
      meanRssBytes: samples > 0 ? (before.meanRssBytes * before.samples + usage.meanRssBytes * usage.samples) / samples : 0,
      samples,
    });
  }
}
