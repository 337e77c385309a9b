import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolationSpecSchema, type CommandPolicyInput, type IsolationSpecInput, type RunAs } from '../../../shared/isolation';
import { commandPolicySchema } from '../../../shared/isolation';
import { jobSpecSchema, type JobSpecInput } from '../../../shared/jobSpec';
import type { Capabilities } from '../../../electron/engine/isolation/capabilities';
import { prepareIsolation, type Preparation } from '../../../electron/engine/isolation/prepareIsolation';
import { wrapLaunch, type IsolatedLaunch } from '../../../electron/engine/isolation/wrapLaunch';
import { userEnvironment } from '../../../electron/engine/isolation/userEnvironment';
import { planLaunch } from '../../../electron/engine/supervisor/launchPlan';
import { dataDirIdentity, runCgroupName, runMarker } from '../../../electron/engine/supervisor/runMarker';
import { spawnProcess, type ProcessEnd } from '../../../electron/engine/supervisor/spawnProcess';
import { groupMembers } from '../helpers';

export { groupMembers };

export interface IsolatedJob {
  spec?: Partial<JobSpecInput>;
  command?: JobSpecInput['command'];
  isolation?: IsolationSpecInput;
  policy?: CommandPolicyInput;
  runAs?: RunAs;
  caps?: Capabilities;
  baseEnv?: NodeJS.ProcessEnv;
}

export interface Launched {
  prep: Preparation;
  launch: IsolatedLaunch;
  pid: number;
  /** The run's marker value (PDK_RUN_ID) and cgroup name. */
  marker: string;
  cgroupName: string;
  dataDir: string;
  output(): string;
  stderr(): string;
  done: Promise<ProcessEnd>;
  /** How the run ended as the supervisor would see it (sandbox exit codes turned back into signals). */
  ended(): Promise<{ end: ProcessEnd; reason: string | undefined }>;
}

const launched: Launched[] = [];
const dataDirs: string[] = [];
let runCounter = 0;

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-iso-'));
  dataDirs.push(dir);
  return dir;
}

/** Builds a job's plan the way the engine would (planLaunch → prepareIsolation), without side effects. */
export function prepare(job: IsolatedJob, dataDir = tempDataDir()): Preparation {
  const spec = jobSpecSchema.parse({ command: job.command, ...job.spec });
  const jobEnvironment = userEnvironment(process.env);
  const plan = planLaunch(spec, { cwd: process.cwd(), env: jobEnvironment });
  return prepareIsolation({
    plan,
    command: spec.command,
    envSet: spec.env.set,
    isolation: isolationSpecSchema.parse(job.isolation ?? {}),
    policy: job.policy ? commandPolicySchema.parse(job.policy) : undefined,
    runAs: job.runAs,
    timeoutMs: spec.timeoutMs,
    dataDir,
    jobId: `j${runCounter}`,
    caps: job.caps,
    baseEnv: job.baseEnv ?? jobEnvironment,
  });
}

/** Prepares, wraps and spawns a job as the supervisor would; afterEach(cleanupLaunched) ends it. */
export function launch(job: IsolatedJob): Launched {
  const dataDir = tempDataDir();
  const prep = prepare(job, dataDir);
  const identity = { dataDirId: dataDirIdentity(dataDir), runId: `t${process.pid}-${runCounter++}` };
  const isolated = wrapLaunch(prep, prep.plan, identity, job.caps);
  const child = spawnProcess(isolated.plan, 'closed');
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  if (child.pid === undefined) throw new Error(`spawn failed: ${JSON.stringify(isolated.plan)}`);
  isolated.tracker.setLeader(child.pid);
  // The main process's end once everything it printed has been read (what it left running
  // and holds the pipes is the test's to end).
  const done = child.exited.then(async (end) => {
    await child.outputClosed;
    return end;
  });
  const startedAt = Date.now();
  const entry: Launched = {
    prep,
    launch: isolated,
    pid: child.pid,
    marker: runMarker(identity.dataDirId, identity.runId),
    cgroupName: runCgroupName(identity),
    dataDir,
    output: () => out,
    stderr: () => err,
    done,
    ended: async () => {
      const end = isolated.normalizeEnd(await done);
      return { end, reason: isolated.explainEnd(end, { elapsedMs: Date.now() - startedAt }) };
    },
  };
  launched.push(entry);
  return entry;
}

export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** SIGKILLs every launched group, removes its cgroups and the temporary data dirs. */
export async function cleanupLaunched(): Promise<void> {
  for (const job of launched.splice(0)) {
    killGroup(job.pid);
    await job.launch.tracker.killAll();
    await job.done;
    await job.launch.cleanup(500);
  }
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export { waitFor } from '../../support/wait';
