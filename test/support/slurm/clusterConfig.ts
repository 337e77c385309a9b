import { join } from 'node:path';

/** Where everything of one test cluster lives: nothing of it is written outside `dir`. */
export interface ClusterPaths {
  dir: string;
  conf: string;
  cgroupConf: string;
  mungeDir: string;
  mungeKey: string;
  mungeSocket: string;
  restSocket: string;
  stateDir: string;
  spoolDir: string;
  logDir: string;
  runDir: string;
  /** Where tests put their jobs' working directories and output files. */
  workDir: string;
  /** Who started the cluster (pid and start time), so a later run can reap it if that process died. */
  ownerFile: string;
}

export function clusterPaths(dir: string): ClusterPaths {
  return {
    dir,
    conf: join(dir, 'slurm.conf'),
    cgroupConf: join(dir, 'cgroup.conf'),
    mungeDir: join(dir, 'munge'),
    mungeKey: join(dir, 'munge', 'munge.key'),
    mungeSocket: join(dir, 'munge', 'munge.socket'),
    restSocket: join(dir, 'run', 'slurmrestd.socket'),
    stateDir: join(dir, 'state'),
    spoolDir: join(dir, 'spool'),
    logDir: join(dir, 'log'),
    runDir: join(dir, 'run'),
    workDir: join(dir, 'work'),
    ownerFile: join(dir, 'owner.json'),
  };
}

/** The node as `slurmd -C` reports it: slurmd drains a node whose configured hardware it does not find. */
export interface NodeHardware {
  cpus: number;
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  realMemoryMb: number;
}

export function parseSlurmdC(output: string): NodeHardware {
  const fields = new Map(
    output
      .split(/\s+/)
      .map((token) => token.split('='))
      .filter((pair) => pair.length === 2) as [string, string][],
  );
  const number = (key: string) => {
    const value = Number(fields.get(key));
    if (!Number.isInteger(value) || value <= 0) throw new Error(`slurmd -C gave no ${key}: ${output.trim()}`);
    return value;
  };
  return {
    cpus: number('CPUs'),
    sockets: number('SocketsPerBoard'),
    coresPerSocket: number('CoresPerSocket'),
    threadsPerCore: number('ThreadsPerCore'),
    realMemoryMb: number('RealMemory'),
  };
}

export interface ClusterLayout {
  paths: ClusterPaths;
  /** Unique per cluster: it names the node's cgroups (slurm_<node>), so two clusters never share one. */
  nodeName: string;
  /** `hostname -s`: slurmd finds its node by this name. */
  hostName: string;
  ctldPort: number;
  slurmdPort: number;
  hardware: NodeHardware;
  /** task/cgroup enforcing the allocated cores and --mem (a --mem hog ends OUT_OF_MEMORY). */
  constrain: boolean;
  /** Jobs that may share one core (OverSubscribe=FORCE:N), so the node runs more jobs than it has cores; 1: none. */
  jobsPerCore: number;
}

/**
 * slurm.conf for one node on loopback, as root. Choices that are not Slurm's defaults:
 * - `batch_sched_delay=0`: a job starts about 1 s after submit, not 3 s.
 * - `DefMemPerCPU`: without it a job with no --mem takes all of the node's memory under
 *   CR_Core_Memory, so every job would run alone.
 * - `MessageTimeout=5` (default 10): commands retry a controller that is down for about this long
 *   before saying so; loopback answers in milliseconds even on a loaded machine.
 * - `KillWait=2`: scancel's SIGTERM to SIGKILL grace, shorter so tests of cancel end sooner.
 * - `NoCtldInAddrAny,NoInAddrAny`: slurmctld and slurmd listen on 127.0.0.1 only.
 * - `OverSubscribe=FORCE:N` where `jobsPerCore` > 1: up to N jobs share each core.
 */
export function slurmConf(layout: ClusterLayout): string {
  const { paths, hardware: hw } = layout;
  const task = layout.constrain ? 'task/affinity,task/cgroup' : 'task/affinity';
  const overSubscribe = layout.jobsPerCore > 1 ? `FORCE:${layout.jobsPerCore}` : 'NO';
  return `ClusterName=procdeck-test
SlurmctldHost=${layout.hostName}(127.0.0.1)
SlurmctldPort=${layout.ctldPort}
SlurmdPort=${layout.slurmdPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${paths.mungeSocket}
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
StateSaveLocation=${paths.stateDir}
SlurmdSpoolDir=${paths.spoolDir}/%n
SlurmctldPidFile=${paths.runDir}/slurmctld.pid
SlurmdPidFile=${paths.runDir}/slurmd-%n.pid
SlurmctldLogFile=${paths.logDir}/slurmctld.log
SlurmdLogFile=${paths.logDir}/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/cgroup
TaskPlugin=${task}
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MessageTimeout=5
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=2
Waittime=0
NodeName=${layout.nodeName} NodeHostname=${layout.hostName} NodeAddr=127.0.0.1 CPUs=${hw.cpus} Sockets=${hw.sockets} CoresPerSocket=${hw.coresPerSocket} ThreadsPerCore=${hw.threadsPerCore} RealMemory=${Math.floor((hw.realMemoryMb * 9) / 10)} State=UNKNOWN
PartitionName=debug Nodes=${layout.nodeName} Default=YES MaxTime=INFINITE State=UP OverSubscribe=${overSubscribe}
`;
}

/**
 * cgroup.conf. Without systemd as PID 1 (this machine, most containers) slurmd 22.05 under
 * cgroup v2 cannot ask systemd for its scope; IgnoreSystemdOnFailure makes it build the tree
 * itself then (v1, used here, ignores the option). Only v1 was run here.
 */
export function cgroupConf(layout: ClusterLayout): string {
  const constrain = layout.constrain ? 'yes' : 'no';
  return `CgroupPlugin=autodetect
IgnoreSystemdOnFailure=yes
ConstrainCores=${constrain}
ConstrainRAMSpace=${constrain}
ConstrainSwapSpace=${constrain}
`;
}
