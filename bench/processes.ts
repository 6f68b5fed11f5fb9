// Memory of processes as the OS counts it (Linux /proc): one process, or a server and its children.
import { readdirSync, readFileSync } from 'node:fs';

function statusField(pid: number, field: string): number {
  try {
    return (
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
    );
  } catch {
    return 0; // exited meanwhile
  }
}

/** Resident memory now (VmRSS), in bytes. */
export const rss = (pid: number) => statusField(pid, 'VmRSS');
/** Peak resident memory so far (VmHWM), in bytes. */
export const peakRss = (pid: number) => statusField(pid, 'VmHWM');

/** Proportional set size: shared pages (PostgreSQL's shared buffers) split between the processes sharing them. */
function pss(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * The fields of /proc/<pid>/stat after the command name (state first, so the parent is [1]), or
 * undefined when the process has exited.
 */
function statFields(pid: number | string): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  } catch {
    return undefined;
  }
}

/** `root` and its children (a postmaster and its backends). */
function tree(root: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(statFields(name)?.[1]) === root)
    .map(Number);
  return [root, ...children];
}

/** Memory of a server with its children: RSS summed (counts shared buffers once per process) and PSS summed (counts them once). */
export function treeMemory(root: number): { rss: number; pss: number; processes: number } {
  const pids = tree(root);
  return {
    rss: pids.reduce((sum, pid) => sum + rss(pid), 0),
    pss: pids.reduce((sum, pid) => sum + pss(pid), 0),
    processes: pids.length,
  };
}

/** Samples a value every `everyMs` until stopped, keeping the highest. */
export function sampleMax(read: () => number, everyMs = 100): { stop(): number } {
  let max = read();
  const timer = setInterval(() => (max = Math.max(max, read())), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, read());
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it has exited. */
function cpuMs(pid: number): number {
  const fields = statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS : 0;
}
// Linux's USER_HZ, what /proc/<pid>/stat counts CPU time in.
const CLOCK_TICKS = 100;

/**
 * Waits until `pid` has used under 3 % of a core over 300 ms (it finished the work it had), or
 * `maxMs` passed; resolves with the time waited.
 */
export async function untilIdle(pid: number, maxMs = 30_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 300));
    const waited = performance.now() - started;
    if (cpuMs(pid) - before < 10 || waited >= maxMs) return waited;
  }
}
