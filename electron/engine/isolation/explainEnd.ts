import { constants } from 'node:os';
import type { ProcessEnd } from '../supervisor/spawnProcess';
import { formatBytes, formatDuration } from '../../../shared/format';
import type { CgroupCounters } from './jobCgroup';
import type { Mechanisms } from './mechanisms';
import type { EndCause } from '../backends/backend';
import type { ResolvedLimits } from './presets';

export interface EndContext {
  limits: ResolvedLimits;
  mechanisms: Mechanisms;
  /** Read from the run's cgroup before it was removed. */
  counters?: CgroupCounters;
  /** Who ended the run when the engine did (a stop on purpose or by a failed probe is no limit's doing). */
  endCause?: EndCause;
  /** From spawn to end. */
  elapsedMs?: number;
  /** The timeout in force came from the isolation's wall-clock limit, not the job's own. */
  timeoutFromLimit?: boolean;
}

const SIGXCPU = constants.signals.SIGXCPU;
// A shell reports a child killed by signal n as exit status 128 + n.
const diedOf = (end: ProcessEnd, signal: keyof typeof constants.signals) =>
  (end.kind === 'signal' && end.signal === signal) || (end.kind === 'exit' && end.exitCode === 128 + constants.signals[signal]);

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 'es'}`;

/**
 * Names the limit that ended a run, from how it ended and what the kernel counted, or
 * undefined when no limit is to blame. Kernel facts relied on: the memory cgroup's OOM killer
 * SIGKILLs a member and counts it (v1 memory.oom_control "oom_kill", v2 memory.events);
 * RLIMIT_CPU sends SIGXCPU at the soft limit, SIGKILL at the hard one; a refused fork is
 * counted in pids.events "max" but ends nothing by itself.
 */
export function explainEnd(end: ProcessEnd, ctx: EndContext): string | undefined {
  if (end.kind === 'spawn-error' || (ctx.endCause !== undefined && ctx.endCause !== 'timeout')) return undefined;
  const { limits, counters } = ctx;
  const reasons: string[] = [];
  if (ctx.endCause === 'timeout') {
    if (ctx.timeoutFromLimit && limits.wallClockMs !== undefined) reasons.push(`wall-clock limit ${formatDuration(limits.wallClockMs)} exceeded`);
  } else if (counters && counters.oomKills > 0 && limits.memoryBytes !== undefined) {
    const killed = diedOf(end, 'SIGKILL') ? 'the kernel killed the job' : `the kernel killed ${plural(counters.oomKills, 'process')} of the job`;
    reasons.push(`memory limit ${formatBytes(limits.memoryBytes)} exceeded (${killed})`);
  } else if (limits.cpuSeconds !== undefined && diedOf(end, 'SIGXCPU')) {
    const who = end.kind === 'signal' ? 'SIGXCPU' : `a process of the job got SIGXCPU (exit ${128 + SIGXCPU})`;
    reasons.push(`CPU time limit ${formatDuration(limits.cpuSeconds * 1000)} exceeded (${who})`);
  } else if (limits.cpuSeconds !== undefined && diedOf(end, 'SIGKILL') && (ctx.elapsedMs ?? 0) >= limits.cpuSeconds * 1000) {
    // SIGKILL at the hard limit comes one CPU second after an ignored SIGXCPU. CPU time
    // cannot outrun wall time for a single thread, so a shorter run was killed by something else.
    reasons.push(`CPU time limit ${formatDuration(limits.cpuSeconds * 1000)} exceeded (SIGKILL at the hard limit, SIGXCPU was ignored)`);
  } else if (ctx.mechanisms.memory === 'rlimit-as' && limits.memoryBytes !== undefined && (diedOf(end, 'SIGABRT') || diedOf(end, 'SIGSEGV'))) {
    reasons.push(`probably the memory limit ${formatBytes(limits.memoryBytes)} (address space, RLIMIT_AS): an allocation failed and the job crashed`);
  }
  if (counters && counters.forksRefused > 0 && limits.processes !== undefined) {
    reasons.push(`process limit ${limits.processes} reached (the kernel refused ${counters.forksRefused} fork${counters.forksRefused === 1 ? '' : 's'})`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/**
 * bwrap cannot die of the signal that killed the job inside, so it exits with 128 + n, as a
 * shell does. Turned back into a signal, so that the run ends as killed, like an unsandboxed
 * one. (A job that itself exits with 129..192 is misread; shells have the same ambiguity.)
 */
export function normalizeSandboxEnd(end: ProcessEnd): ProcessEnd {
  if (end.kind !== 'exit' || end.exitCode <= 128 || end.exitCode > 128 + 64) return end;
  const entry = Object.entries(constants.signals).find(([, n]) => n === end.exitCode - 128);
  return entry ? { kind: 'signal', signal: entry[0] } : end;
}
