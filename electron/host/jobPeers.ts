import type { Engine } from '../engine/engine';
import type { RunIdentity } from '../engine/supervisor/runMarker';

/**
 * Why a connecting process is refused although it runs as the operator's user: it is a process
 * of one of the engine's runs (its cgroup or marker: engine.processes). A job runs with the
 * operator's uid unless told otherwise; through the CLI socket or the HTTP API it could
 * otherwise start, stop and reconfigure as the operator (lift the command policy its own start
 * was checked against, kill other jobs). Both hosts ask it of every connection.
 */
function describeJobPeer(engine: Engine, run: RunIdentity, who: string): string {
  const job = engine.jobs.list().find((j) => j.runId === run.runId || j.id === run.jobId);
  return `${who} is a process of ${job ? `job ${job.name}` : 'a job'} (run ${run.runId}): a job cannot drive Procdeck`;
}

/** The CLI socket's check: the peer's pid (SO_PEERCRED). */
export function jobPeerRefusal(engine: Engine, pid: number): string | undefined {
  const run = engine.processes.runOf(pid);
  return run && describeJobPeer(engine, run, `pid ${pid}`);
}

/**
 * The HTTP side's check: the socket at the other end of the connection, by its inode
 * (`peerInode`: /proc/net/tcp), among the sockets the runs' processes hold. The runs' sockets
 * first: with none (no job, or only jobs without stdin or sockets: a job's stdin is a
 * socketpair) no job can be at the other end, and the table, a walk of every socket of the
 * machine by the kernel (~2 ms with a few hundred), is not read.
 */
export function jobConnectionRefusal(engine: Engine, peerInode: () => number | undefined): string | undefined {
  const sockets = engine.processes.runsSockets();
  if (sockets.size === 0) return undefined;
  const inode = peerInode();
  const run = inode === undefined ? undefined : sockets.get(inode);
  return run && describeJobPeer(engine, run, 'the process at the other end of this connection');
}
