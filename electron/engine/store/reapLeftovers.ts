import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecoveredGroup } from '../../../shared/jobSnapshot';
import type { SavedRunOwner } from '../backends/backend';
import type { Capabilities } from '../isolation/capabilities';
import { reapStaleCgroups } from '../isolation/reapCgroups';
import { findMarkedProcesses, killFound } from '../supervisor/markedProcesses';
import { isDeadProcess } from '../monitor/procStat';
import { readProcTable } from '../monitor/procTable';
import { isLiveProcess } from '../supervisor/processGroup';
import { dataDirIdentity } from '../supervisor/runMarker';
import { findStaleMembers, type ProcessIdentity } from './recovery';
import type { Leftovers, RunningRecord, RunningRegistry } from './runningRegistry';

export interface RecoveryContext {
  registry: RunningRegistry;
  /** What the registry named at open (read once: reading sets a damaged journal aside). */
  leftovers: Leftovers;
  /** This data dir's id: only its runs' markers and cgroups are touched (another engine's stay alive). */
  dataDirId: string;
  /** Undefined where there is no /proc or cgroup (not Linux): process groups only. */
  caps?: Capabilities;
  listProcesses(): ProcessIdentity[];
  /** The job a run belonged to, from the saved jobs (else the job its processes' marker named): for a run the registry lost. */
  jobOfRun(runId: string, markedJobId?: string): { jobId: string; command: string } | undefined;
}

export interface Recovery {
  recovered: RecoveredGroup[];
  /** The registry was damaged (set aside); recovery relied on the scans. */
  problem?: string;
}

function killEach(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
      return true;
    } catch {
      return false; // exited meanwhile
    }
  });
}

const GONE_WAIT_MS = 2000;

/** SIGKILL takes effect at once but a process exits a moment later: the engine starts once they are gone (bounded). */
function waitUntilGone(pids: readonly number[]): void {
  const deadline = Date.now() + GONE_WAIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  // Synchronous on purpose: this runs once at start-up, before anything is launched.
  while (pids.some(isLiveProcess) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 5);
}

/**
 * Kills what a previous engine of this data dir left running when it died (crashed or
 * SIGKILLed: its jobs, in their own sessions, outlived it), by three nets, each catching
 * what the one before cannot: the runs' cgroups (every process of a run, whatever session or
 * group it made; killed atomically), the process groups the registry recorded (start-time
 * checked, so a recycled pid is never hit), and a scan of /proc for the runs' environment
 * markers (runs the registry lost, on a machine without cgroups). Returns what was killed, per run.
 */
export function reapLeftovers(ctx: RecoveryContext): Recovery {
  const { records, problem } = ctx.leftovers;
  const recordOf = new Map<string, RunningRecord>(records.map((r) => [r.runId, r]));
  const byRun = new Map<string, { group: RecoveredGroup; killed: Set<number> }>();
  const note = (runId: string, killed: readonly number[], pgid?: number, markedJobId?: string) => {
    if (killed.length === 0) return;
    let entry = byRun.get(runId);
    if (!entry) {
      const record = recordOf.get(runId);
      const job = record ?? ctx.jobOfRun(runId, markedJobId);
      const group: RecoveredGroup = { jobId: job?.jobId ?? 'unknown', runId, command: job?.command ?? `run ${runId}`, killedPids: [] };
      const knownPgid = record?.pgid ?? pgid;
      if (knownPgid !== undefined) group.pgid = knownPgid;
      entry = { group, killed: new Set() };
      byRun.set(runId, entry);
    }
    for (const pid of killed) entry.killed.add(pid);
  };

  if (ctx.caps) for (const reaped of reapStaleCgroups(ctx.caps, ctx.dataDirId, [...recordOf.keys()])) if (reaped.runId) note(reaped.runId, reaped.killedPids, undefined, reaped.jobId);
  if (records.length > 0) for (const [record, pids] of findStaleMembers(records, ctx.listProcesses())) note(record.runId, killEach(pids));
  if (ctx.caps) {
    for (const found of findMarkedProcesses(ctx.dataDirId)) if (found.runId && killFound(found)) note(found.runId, [found.pid], found.pgid, found.jobId);
  }
  waitUntilGone([...byRun.values()].flatMap(({ killed }) => [...killed]));
  ctx.registry.compact();
  const recovered = [...byRun.values()].map(({ group, killed }) => ({ ...group, killedPids: [...killed].sort((a, b) => a - b) }));
  return problem === undefined ? { recovered } : { recovered, problem };
}

/** Live processes (not dead zombies) for crash recovery; none where there is no /proc to read. */
function listLiveProcesses(): ProcessIdentity[] {
  if (process.platform !== 'linux') return [];
  return [...readProcTable().processes.values()].filter((p) => !isDeadProcess(p));
}

/** The local backend's recovery at open: the saved jobs say which job a run the registry lost belonged to. */
export function recoverDataDir(registry: RunningRegistry, leftovers: Leftovers, dataDir: string, saved: readonly SavedRunOwner[], caps: Capabilities | undefined): Recovery {
  const jobOfRun = new Map(saved.filter((job) => job.runId !== undefined).map((job) => [job.runId!, { jobId: job.jobId, command: job.name }]));
  const nameOf = new Map(saved.map((job) => [job.jobId, job.name]));
  const jobOf = (runId: string, markedJobId?: string) => {
    const known = jobOfRun.get(runId);
    if (known) return known;
    // A run can die with its engine before its start reached the saved jobs: its processes'
    // marker says whose it was (a job the saved jobs know: a marker is the job's to forge), or
    // its log file does, for a run that wrote a line (or of an engine that made the file at
    // the spawn, before markers named the job).
    if (markedJobId !== undefined && nameOf.has(markedJobId)) return { jobId: markedJobId, command: nameOf.get(markedJobId)! };
    const jobId = jobOfLogFile(dataDir, runId);
    return jobId === undefined ? undefined : { jobId, command: nameOf.get(jobId) ?? `run ${runId}` };
  };
  return reapLeftovers({ registry, leftovers, dataDirId: dataDirIdentity(dataDir), caps, listProcesses: listLiveProcesses, jobOfRun: jobOf });
}

/** The job whose log directory holds this run's log (`<dataDir>/logs/<jobId>/<runId>.log`). */
function jobOfLogFile(dataDir: string, runId: string): string | undefined {
  const logs = join(dataDir, 'logs');
  let jobDirs: string[];
  try {
    jobDirs = readdirSync(logs);
  } catch {
    return undefined;
  }
  return jobDirs.find((jobId) => existsSync(join(logs, jobId, `${runId}.log`)));
}
