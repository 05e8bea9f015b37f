import { readFile } from 'node:fs/promises';

/**
 * Who a process is, beyond its pid: when it started (clock ticks after boot, /proc/PID/stat field
 * 22) and its command line. A pid is reused once its process is gone; these two together are not,
 * so `services down` signals a stored pid only while it is still the server `up` started.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
  cmdline: string;
}

export type ProcReader = (path: string) => Promise<string>;

const readProc: ProcReader = (path) => readFile(path, 'utf8');

/** The process's identity now, or undefined when there is no such process. */
export async function identify(pid: number, read: ProcReader = readProc): Promise<ProcessIdentity | undefined> {
  try {
    const stat = await read(`/proc/${pid}/stat`);
    // Fields after the command name (which may contain spaces and parentheses) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    const cmdline = (await read(`/proc/${pid}/cmdline`)).split('\0').filter(Boolean).join(' ');
    return Number.isFinite(startTicks) ? { pid, startTicks, cmdline } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the pid still names the process that was identified: same start time, same command line. */
export async function stillTheSame(expected: ProcessIdentity, read: ProcReader = readProc): Promise<boolean> {
  const now = await identify(expected.pid, read);
  return now !== undefined && now.startTicks === expected.startTicks && now.cmdline === expected.cmdline;
}
