import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Every process of a run carries this variable (inherited by whatever it starts), so a scan of
 * /proc can find a run's processes wherever they went where no cgroup tracks them, and crash
 * recovery can find them when the running registry is lost. Not a PROCDECK_* name on purpose:
 * jobs receive none of Procdeck's own variables; this one is theirs, and says only which run
 * of which data directory they belong to. It is a fallback, not a boundary: a hostile job can
 * clear its environment (the cgroup, where one can be made, is what it cannot leave).
 */
export const RUN_MARKER_ENV = 'PDK_RUN_ID';

/** Short, stable id of a data directory: two engines on two data dirs never claim each other's runs. */
export function dataDirIdentity(dataDir: string): string {
  return createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
}

/** The alphabet of the ids the engine makes (runs, jobs), and of the data dir's. One source for the three patterns below. */
const ID_PATTERN = '[A-Za-z0-9_-]{1,64}';
const DATA_DIR_ID_PATTERN = '[0-9a-f]{12}';
const ID = new RegExp(`^${ID_PATTERN}$`);
const MARKER = new RegExp(`^(${DATA_DIR_ID_PATTERN}):(${ID_PATTERN})(?::(${ID_PATTERN}))?$`);
const CGROUP_NAME = new RegExp(`^(${DATA_DIR_ID_PATTERN})-(${ID_PATTERN})$`);

/**
 * `<data dir id>:<run id>`, then `:<job id>`: crash recovery names the job of a run that
 * neither the running registry nor the saved jobs recorded (an engine that died within the
 * saved jobs' flush delay of the start, its registry lost) by the marker of a process it found.
 * A job id outside the id alphabet is left out rather than quoted (the ids the engine makes never are).
 */
export function runMarker(dataDirId: string, runId: string, jobId?: string): string {
  return jobId !== undefined && ID.test(jobId) ? `${dataDirId}:${runId}:${jobId}` : `${dataDirId}:${runId}`;
}

/** A marker as runMarker writes it; one without a job id is from an engine before the job id was part of it. */
export function parseRunMarker(value: string): { dataDirId: string; runId: string; jobId?: string } | undefined {
  const match = MARKER.exec(value);
  if (!match) return undefined;
  return { dataDirId: match[1]!, runId: match[2]!, ...(match[3] !== undefined && { jobId: match[3] }) };
}

/** Which run of which data directory (and whose): names the run's marker and its cgroups (those by data dir and run alone). */
export interface RunIdentity {
  dataDirId: string;
  runId: string;
  jobId?: string;
}

/** The run's cgroup directory name: engines sharing a parent cgroup never collide, and recovery finds its own by prefix. */
export function runCgroupName(identity: RunIdentity): string {
  return `${identity.dataDirId}-${identity.runId}`;
}

export function parseRunCgroupName(name: string): RunIdentity | undefined {
  const match = CGROUP_NAME.exec(name);
  return match ? { dataDirId: match[1]!, runId: match[2]! } : undefined;
}
