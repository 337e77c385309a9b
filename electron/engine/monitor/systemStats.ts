import type { SystemStats } from '../../../shared/monitoring';
import { ProcFile } from './statReader';

/** Busy and total jiffies of one CPU line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * The per-core lines ("cpu0 …", "cpu1 …") of /proc/stat, indexed by core number (offline
 * cores are absent from the file and stay undefined). idle and iowait count as not busy;
 * guest time is already included in user, so the guest columns are left out of the total.
 */
export function parseCoreTimes(text: string): (CpuTimes | undefined)[] {
  const cores: (CpuTimes | undefined)[] = [];
  // Line by line up to the end of the cpu lines: the intr line after them can be kilobytes long.
  for (let from = 0; from < text.length; ) {
    const newline = text.indexOf('\n', from);
    const to = newline < 0 ? text.length : newline;
    const line = text.slice(from, to);
    from = to + 1;
    if (!line.startsWith('cpu')) {
      if (cores.length > 0) break;
      continue;
    }
    const [label, ...fields] = line.trim().split(/\s+/);
    const core = Number(label!.slice(3));
    if (label === 'cpu' || !Number.isInteger(core)) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    cores[core] = { busy: total - idle - iowait, total };
  }
  return cores;
}

const MEMINFO_FIELDS = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree'] as const;
type MeminfoField = (typeof MEMINFO_FIELDS)[number];
// Compiled once: meminfo is read every tick.
const MEMINFO_LINES = Object.fromEntries(MEMINFO_FIELDS.map((name) => [name, new RegExp(`^${name}:\\s+(\\d+)`, 'm')])) as Record<MeminfoField, RegExp>;

function kib(text: string, name: MeminfoField): number {
  const match = MEMINFO_LINES[name].exec(text);
  return match ? Number(match[1]) * 1024 : 0;
}

export function parseMeminfo(text: string): SystemStats['memory'] {
  const total = kib(text, 'MemTotal');
  // Kernels before 3.14 lack MemAvailable; free + page cache is the old estimate.
  const available = MEMINFO_LINES.MemAvailable.test(text) ? kib(text, 'MemAvailable') : kib(text, 'MemFree') + kib(text, 'Buffers') + kib(text, 'Cached');
  const swapTotal = kib(text, 'SwapTotal');
  return { total, available, used: Math.max(0, total - available), swapTotal, swapUsed: Math.max(0, swapTotal - kib(text, 'SwapFree')) };
}

export function parseLoadavg(text: string): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return [one, five, fifteen];
}

function percent(now: CpuTimes | undefined, before: CpuTimes | undefined): number {
  if (!now || !before) return 0;
  const total = now.total - before.total;
  return total > 0 ? Math.min(100, Math.max(0, ((now.busy - before.busy) / total) * 100)) : 0;
}

export type ReadProcFile = (path: string) => string;

/** Reads each file through a kept-open fd (ProcFile); throws when one cannot be read. */
function keptFiles(): { read: ReadProcFile; close(): void } {
  const files = new Map<string, ProcFile>();
  return {
    read(path) {
      let file = files.get(path);
      if (!file) files.set(path, (file = new ProcFile(path)));
      const text = file.read();
      if (text === undefined) throw new Error(`cannot read ${path}`);
      return text;
    },
    close() {
      for (const file of files.values()) file.close();
      files.clear();
    },
  };
}

/** Per-core CPU, memory and load: three small procfs reads per call. CPU is measured against the previous call. */
export class SystemStatsReader {
  private previous: (CpuTimes | undefined)[] = [];
  private readonly files?: { read: ReadProcFile; close(): void };
  private readonly read: ReadProcFile;

  constructor(read?: ReadProcFile) {
    if (read) this.read = read;
    else {
      this.files = keptFiles();
      this.read = this.files.read;
    }
  }

  /** Closes the kept fds (a later sample opens them again). */
  dispose(): void {
    this.files?.close();
  }

  sample(at = Date.now()): SystemStats {
    const cores = parseCoreTimes(this.read('/proc/stat'));
    const perCore = Array.from({ length: cores.length }, (_, i) => percent(cores[i], this.previous[i]));
    const online = cores.filter((c) => c !== undefined).length;
    const cpu = online > 0 ? perCore.reduce((sum, value) => sum + value, 0) / online : 0;
    this.previous = cores;
    return {
      at,
      cores: perCore,
      cpu,
      memory: parseMeminfo(this.read('/proc/meminfo')),
      load: parseLoadavg(this.read('/proc/loadavg')),
    };
  }
}
