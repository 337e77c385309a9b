import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCoreTimes, parseLoadavg, parseMeminfo, SystemStatsReader } from '../../../electron/engine/monitor/systemStats';
import { DEFAULT_WAIT_MS } from '../../support/wait';
import { expectWithin, kernelTicks } from './kernelCpu';

const KiB = 1024;

function statText(cores: number[][]): string {
  const lines = cores.map((fields, i) => `cpu${i} ${fields.join(' ')}`);
  return ['cpu  1 2 3 4 5 6 7 8 0 0', ...lines, 'intr 1 2 3', 'ctxt 99'].join('\n');
}

describe('system stats parsing', () => {
  it('reads busy and total jiffies per core, leaving guest time out (it is already in user)', () => {
    const cores = parseCoreTimes(statText([[10, 1, 5, 80, 4, 0, 0, 0, 7, 7], [0, 0, 0, 100, 0, 0, 0, 0, 0, 0]]));
    expect(cores).toEqual([{ busy: 16, total: 100 }, { busy: 0, total: 100 }]);
  });

  it('keeps core numbers when a core is offline', () => {
    const text = 'cpu  0 0 0 0\ncpu0 1 0 0 9 0 0 0 0\ncpu2 5 0 0 5 0 0 0 0\nintr 0';
    const cores = parseCoreTimes(text);
    expect(cores.length).toBe(3);
    expect(cores[1]).toBeUndefined();
    expect(cores[2]).toEqual({ busy: 5, total: 10 });
  });

  it('reads memory and swap from meminfo, used = total − available', () => {
    const memory = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nSwapTotal: 500 kB\nSwapFree: 400 kB\n');
    expect(memory).toEqual({ total: 1000 * KiB, available: 600 * KiB, used: 400 * KiB, swapTotal: 500 * KiB, swapUsed: 100 * KiB });
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const memory = parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
    expect(memory.available).toBe(400 * KiB);
  });

  it('reads the three load averages', () => {
    expect(parseLoadavg('0.52 1.03 2.50 1/234 5678\n')).toEqual([0.52, 1.03, 2.5]);
  });
});

describe('SystemStatsReader', () => {
  it('computes per-core % from the deltas between two readings', () => {
    const readings = [
      statText([[100, 0, 0, 100, 0, 0, 0, 0], [100, 0, 0, 100, 0, 0, 0, 0]]),
      statText([[150, 0, 0, 150, 0, 0, 0, 0], [100, 0, 0, 200, 0, 0, 0, 0]]),
    ];
    const files: Record<string, () => string> = {
      '/proc/stat': () => readings.shift()!,
      '/proc/meminfo': () => 'MemTotal: 8 kB\nMemAvailable: 2 kB\n',
      '/proc/loadavg': () => '1 2 3 1/1 1',
    };
    const reader = new SystemStatsReader((path) => files[path]!());
    expect(reader.sample(1).cores).toEqual([0, 0]);
    const second = reader.sample(2);
    expect(second.cores).toEqual([50, 0]);
    expect(second.cpu).toBe(25);
    expect(second.memory.used).toBe(6 * KiB);
    expect(second.load).toEqual([1, 2, 3]);
  });

  it('reads this machine: one figure per core as the kernel counted it, memory that adds up', () => {
    const reader = new SystemStatsReader();
    const first = bracketCores(() => reader.sample());
    // Keeps a core busy until the kernel has charged this process 5 ticks: the second reading has something to show.
    const since = kernelTicks(process.pid);
    const deadline = Date.now() + DEFAULT_WAIT_MS;
    while (kernelTicks(process.pid) - since < 5) {
      if (Date.now() > deadline) throw new Error('this process got no CPU to spin');
    }
    const second = bracketCores(() => reader.sample());
    const stats = second.value;
    expect(stats.cores.length).toBe(cpus().length);
    stats.cores.forEach((core, i) => expectWithin(core, corePercentBetween(first, second, i), `core ${i}`));
    const busy = (reading: CoreTimes[]) => reading.reduce((sum, core) => sum + core.busy, 0);
    expect(busy(second.before) - busy(first.after)).toBeGreaterThan(0);
    expect(stats.memory.total).toBeGreaterThan(stats.memory.available);
    expect(stats.memory.used + stats.memory.available).toBe(stats.memory.total);
    expect(stats.load.every((l) => l >= 0)).toBe(true);
  });
});

interface CoreTimes {
  busy: number;
  total: number;
}

/**
 * The per-core counters of /proc/stat, read by the test itself. user, nice, system, irq,
 * softirq and steal only grow, and so does idle + iowait (iowait alone may drop: the kernel
 * may count an idle stretch as idle on a later read), so busy and total are monotonic.
 */
function readCores(): CoreTimes[] {
  const cores: CoreTimes[] = [];
  for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[2]!.split(' ').map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    cores[Number(match[1])] = { busy, total: busy + idle + iowait };
  }
  return cores;
}

function bracketCores<T>(call: () => T): { value: T; before: CoreTimes[]; after: CoreTimes[] } {
  const before = readCores();
  const value = call();
  return { value, before, after: readCores() };
}

/** The busy % of core `i` between two bracketed readings, as the counters allow it to be. */
function corePercentBetween(first: ReturnType<typeof bracketCores>, second: ReturnType<typeof bracketCores>, i: number): { min: number; max: number } {
  const busy = { min: second.before[i]!.busy - first.after[i]!.busy, max: second.after[i]!.busy - first.before[i]!.busy };
  const total = { min: second.before[i]!.total - first.after[i]!.total, max: second.after[i]!.total - first.before[i]!.total };
  const percent = (part: number, whole: number) => (whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 100);
  return { min: total.max > 0 ? percent(busy.min, total.max) : 0, max: percent(busy.max, total.min) };
}
