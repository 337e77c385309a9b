import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCoreTimes, parseLoadavg, parseMeminfo, SystemStatsReader } from '../../../electron/engine/monitor/systemStats';

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

  it('reads this machine: one figure per core, memory that adds up', async () => {
    const reader = new SystemStatsReader();
    reader.sample();
    const busyUntil = Date.now() + 150;
    while (Date.now() < busyUntil) {
      // Keep one core busy so the second reading has something to show.
    }
    const stats = reader.sample();
    expect(stats.cores.length).toBe(cpus().length);
    expect(Math.max(...stats.cores)).toBeGreaterThan(20);
    for (const core of stats.cores) expect(core).toBeLessThanOrEqual(100);
    expect(stats.memory.total).toBeGreaterThan(stats.memory.available);
    expect(stats.memory.used + stats.memory.available).toBe(stats.memory.total);
    expect(stats.load.every((l) => l >= 0)).toBe(true);
  });
});
