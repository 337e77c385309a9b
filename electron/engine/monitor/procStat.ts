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

/**
 * Dead, only not yet reaped by its parent: a zombie with no thread left running. A process
 * whose first thread ended on its own (pthread_exit) while others run also shows Z, as its
 * thread-group leader does until the last thread ends, and lives on: it uses CPU, forks, and
 * is killed like any other (a signal to its pid reaches the whole group). Taking that for dead
 * would let a job end its run while a process of it keeps running.
 */
export function isDeadProcess(entry: Pick<ProcEntry, 'state' | 'threads'>): boolean {
  return (entry.state === 'Z' && entry.threads <= 1) || entry.state === 'X';
}

/** Its first thread has ended while others run (Z with threads: isDeadProcess): its own stat and environ read empty, a live thread's are the process's. */
export function leaderThreadEnded(entry: Pick<ProcEntry, 'state' | 'threads'>): boolean {
  return entry.state === 'Z' && entry.threads > 1;
}

/**
 * A leader whose own thread ended while others run (Z with threads: isDeadProcess) reads RSS 0
 * in its stat; its memory is what `otherThread` (another thread's stat line, statReader.ts:
 * otherThreadStat) reports. Every other entry is returned as it is, and so is one whose other
 * thread is gone by now. Without this a job could hide its memory from the monitor, its
 * alerts and its leak trend by ending its main thread.
 */
export function withLiveThreadsMemory(entry: ProcEntry, pageSize: number, otherThread: (pid: number) => string | undefined): ProcEntry {
  if (!leaderThreadEnded(entry)) return entry;
  const text = otherThread(entry.pid);
  const thread = text === undefined ? undefined : parseProcStat(text, pageSize);
  return thread && thread.rss !== entry.rss ? { ...entry, rss: thread.rss } : entry;
}

// Indexes into the fields that follow the comm field, i.e. field number (proc(5), 1-based) minus 3.
const STATE = 0;
const PPID = 1;
const PGRP = 2;
const SESSION = 3;
const FLAGS = 6;
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

/** PF_EXITING (include/linux/sched.h): the task is inside do_exit. */
const PF_EXITING = 0x4;

/**
 * Whether the text of /proc/<pid>/stat is a process whose exit is under way: its one thread is
 * inside the kernel's exit (PF_EXITING), before it turns zombie. It runs no user code again,
 * forks nothing and ignores every signal, SIGKILL too; what it waits for is the kernel's (a pid
 * namespace's init waits there until every process of its namespace has been reaped, which is
 * how a sandbox's init outlives the sandbox's main process for a moment). A process with more
 * than one thread is not: a leader whose own thread ended (pthread_exit) carries the flag while
 * its other threads run (isDeadProcess).
 */
export function isExitUnderWay(text: string): boolean {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ', NUM_THREADS + 1);
  const state = fields[STATE];
  if (state === undefined || state === 'Z' || state === 'X' || Number(fields[NUM_THREADS]) !== 1) return false;
  // Flags are an unsigned 32-bit word: & works on it as a signed one, which keeps bit 2 as it is.
  return (Number(fields[FLAGS]) & PF_EXITING) !== 0;
}

/** Extra fields parseProcStatBytes fills in when asked. */
export interface ProcStatExtras {
  /** Field 19, -20…19. */
  nice: number;
}

const NICE = 16;
// Scratch space for the numeric fields of one line (the scanner parses one line at a time).
const numbers = new Float64Array(RSS + 1);

/** True when bytes[from, to) spell `text` (ASCII; anything else is decoded and compared). */
function sameText(bytes: Buffer, from: number, to: number, text: string): boolean {
  if (to - from !== text.length) return bytes.toString('utf8', from, to) === text;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 128) return bytes.toString('utf8', from, to) === text;
    if (c !== text.charCodeAt(i - from)) return false;
  }
  return true;
}

/**
 * parseProcStat over the raw bytes of a read (what the scanner gets from its buffer): the
 * numbers are parsed in place and only comm becomes a string, and when `unchanged` (the
 * previous entry of the pid) reads the same, it is returned instead of a new object, so a
 * sleeping process read every tick allocates nothing. Same result as parseProcStat on the text.
 */
export function parseProcStatBytes(bytes: Buffer, length: number, pageSize: number, extras?: ProcStatExtras, unchanged?: ProcEntry): ProcEntry | undefined {
  let pid = 0;
  let i = 0;
  for (; i < length; i++) {
    const c = bytes[i]!;
    if (c < 48 || c > 57) break;
    pid = pid * 10 + c - 48;
  }
  // "<pid> (" … the LAST ")": comm may hold spaces and parentheses.
  if (i === 0 || i + 1 >= length || bytes[i] !== 32 || bytes[i + 1] !== 40 || pid <= 0) return undefined;
  const open = i;
  let close = length - 1;
  while (close > open + 1 && bytes[close] !== 41) close--;
  if (close <= open + 1) return undefined;
  let state = '';
  let field = 0;
  let pos = close + 2;
  while (field <= RSS && pos < length) {
    let end = pos;
    while (end < length && bytes[end] !== 32 && bytes[end] !== 10) end++;
    if (field === STATE) state = String.fromCharCode(bytes[pos]!);
    else {
      const negative = bytes[pos] === 45;
      const from = negative ? pos + 1 : pos;
      if (from >= end) return undefined;
      let value = 0;
      for (let j = from; j < end; j++) {
        const c = bytes[j]!;
        if (c < 48 || c > 57) return undefined;
        value = value * 10 + c - 48;
      }
      numbers[field] = negative ? -value : value;
    }
    field++;
    pos = end + 1;
  }
  if (field <= RSS) return undefined;
  if (extras) extras.nice = numbers[NICE]!;
  if (
    unchanged?.pid === pid &&
    unchanged.startTime === numbers[STARTTIME] &&
    unchanged.cpuTicks === numbers[UTIME]! + numbers[STIME]! &&
    unchanged.childCpuTicks === numbers[CUTIME]! + numbers[CSTIME]! &&
    unchanged.rss === numbers[RSS]! * pageSize &&
    unchanged.state === state &&
    unchanged.ppid === numbers[PPID] &&
    unchanged.pgid === numbers[PGRP] &&
    unchanged.sid === numbers[SESSION] &&
    unchanged.threads === numbers[NUM_THREADS] &&
    sameText(bytes, open + 2, close, unchanged.comm)
  ) {
    return unchanged;
  }
  return {
    pid,
    comm: bytes.toString('utf8', open + 2, close),
    state,
    ppid: numbers[PPID]!,
    pgid: numbers[PGRP]!,
    sid: numbers[SESSION]!,
    startTime: numbers[STARTTIME]!,
    cpuTicks: numbers[UTIME]! + numbers[STIME]!,
    childCpuTicks: numbers[CUTIME]! + numbers[CSTIME]!,
    threads: numbers[NUM_THREADS]!,
    rss: numbers[RSS]! * pageSize,
  };
}
