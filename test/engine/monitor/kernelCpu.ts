import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import type { ProcSnapshot } from '../../../electron/engine/monitor/treeUsage';
import { waitFor } from '../../support/wait';
import { statFields } from './processes';

/*
 * The kernel's own account of CPU time, to check a sampler against, on any machine.
 *
 * A test reads utime+stime+cutime+cstime of /proc/<pid>/stat right before and right after each
 * call of the sampler (bracket()). Each of those fields only grows: the kernel keeps its
 * utime/stime split monotonic (cputime_adjust), cutime/cstime only ever add reaped children,
 * and flooring to clock ticks keeps that. A sampler reading them during its call reads values
 * between the test's two readings, and its clock (performance.now()) lies between the test's
 * two clock readings. So between two calls the kernel charged between (before₂ − after₁) and
 * (after₂ − before₁) ticks, exactly: no tolerance, and no load can make a correct figure fall
 * outside (a preempted test only widens the range). This holds for a set of processes that
 * does not fork or reap during a call: busy loops, or a shell blocked in `read`/`wait`.
 *
 * /proc/<pid>/schedstat is no such oracle: it lags the stat fields by up to a few ticks.
 */

let clockTicksCache: number | undefined;

/** USER_HZ, the unit of the stat fields, from getconf (not from the code under test). */
export function clockTicks(): number {
  clockTicksCache ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicksCache;
}

/** utime+stime+cutime+cstime of a process in clock ticks: its own CPU and its reaped children's; 0 once it is gone. */
export function kernelTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]) : 0;
}

export interface CpuReading {
  /** performance.now() */
  at: number;
  /** kernelTicks by pid */
  ticks: ReadonlyMap<number, number>;
}

export interface Bracketed<T> {
  value: T;
  before: CpuReading;
  after: CpuReading;
}

export function readCpu(pids: readonly number[]): CpuReading {
  const ticks = new Map(pids.map((pid) => [pid, kernelTicks(pid)]));
  return { at: performance.now(), ticks };
}

/** Calls `call` between two readings of the pids' CPU (the clock is read closest to the call). */
export function bracket<T>(pids: readonly number[], call: () => T): Bracketed<T> {
  const ticksBefore = new Map(pids.map((pid) => [pid, kernelTicks(pid)]));
  const atBefore = performance.now();
  const value = call();
  const atAfter = performance.now();
  return { value, before: { at: atBefore, ticks: ticksBefore }, after: { at: atAfter, ticks: new Map(pids.map((pid) => [pid, kernelTicks(pid)])) } };
}

export async function bracketAsync<T>(pids: readonly number[], call: () => Promise<T>): Promise<Bracketed<T>> {
  const ticksBefore = new Map(pids.map((pid) => [pid, kernelTicks(pid)]));
  const atBefore = performance.now();
  const value = await call();
  const atAfter = performance.now();
  return { value, before: { at: atBefore, ticks: ticksBefore }, after: { at: atAfter, ticks: new Map(pids.map((pid) => [pid, kernelTicks(pid)])) } };
}

function total(reading: CpuReading, pids?: readonly number[]): number {
  let sum = 0;
  for (const [pid, ticks] of reading.ticks) if (!pids || pids.includes(pid)) sum += ticks;
  return sum;
}

export interface Range {
  min: number;
  max: number;
}

/** Ticks the kernel charged between two bracketed calls, to `pids` (default: every pid each reading has). */
export function ticksBetween(first: Bracketed<unknown>, second: Bracketed<unknown>, pids?: readonly number[]): Range {
  return { min: total(second.before, pids) - total(first.after, pids), max: total(second.after, pids) - total(first.before, pids) };
}

/** The pids' ticks at the moment of a bracketed call: what a sampler reading them during it read. */
export function ticksAt(call: Bracketed<unknown>, pids?: readonly number[]): Range {
  return { min: total(call.before, pids), max: total(call.after, pids) };
}

/**
 * The CPU % (100 = one core) a sampler can rightly report for the interval between two
 * bracketed calls when it times that interval by its own clock inside each call.
 * clockSlackMs: the resolution of a coarser clock than performance.now() (pidusage reads /proc/uptime, 10 ms).
 */
export function cpuBetween(first: Bracketed<unknown>, second: Bracketed<unknown>, options: { pids?: readonly number[]; clockSlackMs?: number } = {}): Range {
  const ticks = ticksBetween(first, second, options.pids);
  const slack = options.clockSlackMs ?? 0;
  const shortest = (second.before.at - first.after.at - slack) / 1000;
  const longest = (second.after.at - first.before.at + slack) / 1000;
  const hz = clockTicks();
  return { min: (Math.max(0, ticks.min) / hz / longest) * 100, max: shortest > 0 ? (ticks.max / hz / shortest) * 100 : Number.POSITIVE_INFINITY };
}

/** The ticks behind a CPU % a sampler computed between two of its own snapshots (they carry its clock). */
export function sampledTicks(cpu: number, current: ProcSnapshot, previous: ProcSnapshot): number {
  return (cpu / 100) * ((current.table.takenAt - previous.table.takenAt) / 1000) * current.table.clockTicks;
}

// Float rounding only: cpu % and back.
const EPSILON = 1e-6;

export function expectWithin(value: number | undefined, range: Range, what: string): void {
  const message = `${what}: ${value} is outside what the kernel says, ${range.min}…${range.max}`;
  expect(value, message).toBeGreaterThanOrEqual(range.min - EPSILON);
  expect(value, message).toBeLessThanOrEqual(range.max + EPSILON);
}

/**
 * Waits until the kernel has charged `pids` at least `ticks` more than at `since`: how a test
 * lets a busy tree run long enough to be measured without a clock (loaded, it just takes longer).
 */
export function waitForCpu(pids: readonly number[], since: CpuReading, ticks: number, what: string): Promise<CpuReading> {
  const start = total(since, pids);
  return waitFor(
    () => {
      const now = readCpu(pids);
      return total(now) - start >= ticks && now;
    },
    () => `${what} to use ${ticks} clock ticks of CPU (has ${total(readCpu(pids)) - start})`,
  );
}
