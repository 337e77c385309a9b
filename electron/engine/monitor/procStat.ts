/** One process as the kernel reports it in /proc/<pid>/stat. */
export interface ProcEntry {
  pid: number;
  /** Executable name (at most 15 bytes, set by exec or prctl); may contain spaces and ')'. */
  comm: string;
  /** R running, S sleeping, D uninterruptible, Z zombie, T stopped, t traced, I idle, X dead. */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Start time in clock ticks since boot; together with pid it identifies a process across pid reuse. */
  startTime: number;
  /** utime + stime summed over all threads, in clock ticks. */
  cpuTicks: number;
  /** cutime + cstime: CPU of the children this process has reaped (waited for), in clock ticks. */
  childCpuTicks: number;
  threads: number;
  /** Resident set size in bytes. */
  rss: number;
}

// Indexes into the fields that follow the comm field, i.e. field number (proc(5), 1-based) minus 3.
const STATE = 0;
const PPID = 1;
const PGRP = 2;
const SESSION = 3;
const UTIME = 11;
const STIME = 12;
const CUTIME = 13;
const CSTIME = 14;
const NUM_THREADS = 17;
const STARTTIME = 19;
const RSS = 21;

/**
 * Parses the text of /proc/<pid>/stat. Returns undefined when the text is not a stat line.
 * The comm field is printed raw inside parentheses, so it can hold spaces, '(' and ')':
 * the fields after it are found from the LAST ')'.
 */
export function parseProcStat(text: string, pageSize: number): ProcEntry | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open + 1) return undefined;
  const fields = text.slice(close + 2).split(' ', RSS + 1);
  if (fields.length <= RSS) return undefined;
  const pid = Number(text.slice(0, open));
  const ppid = Number(fields[PPID]);
  const startTime = Number(fields[STARTTIME]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(ppid) || !Number.isFinite(startTime)) return undefined;
  return {
    pid,
    comm: text.slice(open + 2, close),
    state: fields[STATE],
    ppid,
    pgid: Number(fields[PGRP]),
    sid: Number(fields[SESSION]),
    startTime,
    cpuTicks: Number(fields[UTIME]) + Number(fields[STIME]),
    childCpuTicks: Number(fields[CUTIME]) + Number(fields[CSTIME]),
    threads: Number(fields[NUM_THREADS]),
    rss: Number(fields[RSS]) * pageSize,
  };
}
