import { execFileSync } from 'node:child_process';

let clockTicks: number | undefined;
let pageSize: number | undefined;

function getconf(name: string, fallback: number): number {
  try {
    const value = Number.parseInt(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }), 10);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** Kernel clock ticks per second (USER_HZ): the unit of the CPU times in /proc/<pid>/stat. */
export function clockTicksPerSecond(): number {
  clockTicks ??= getconf('CLK_TCK', 100);
  return clockTicks;
}

/** Bytes per memory page: the unit of the rss field in /proc/<pid>/stat. */
export function memoryPageSize(): number {
  pageSize ??= getconf('PAGESIZE', 4096);
  return pageSize;
}
