// The test cluster itself: it must leave nothing behind, neither when stopped with jobs still
// running (one of them ignoring SIGTERM from its own session) nor when the process that
// started it is killed outright (the next start reaps what it left).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { SlurmClient } from '../../../../electron/engine/backends/slurm/slurmClient';
import { clusterProcesses, nodeCgroups } from '../../../support/slurm/leftovers';
import { LocalSlurm } from '../../../support/slurm/localSlurm';
import { describeIfSlurm } from '../../../support/slurm/slurmFixture';
import { waitForSlurm } from '../../../support/slurm/slurmWait';
import { jobDir, readText, submitIn, untilState } from '../../../support/slurm/slurmJobs';
import { waitFor } from '../../../support/wait';

const STUBBORN = `trap '' TERM; setsid sh -c "trap '' TERM; echo \\$\\$ > escaped.pid; while :; do sleep 1; done" & echo $$ > main.pid; while :; do sleep 1; done`;

async function startStubbornJob(cluster: LocalSlurm): Promise<{ dir: string; pids: number[] }> {
  const client = new SlurmClient({ slurmConf: cluster.paths.conf });
  const dir = jobDir(cluster, 'stubborn');
  const job = await submitIn(client, dir, { command: { kind: 'shell', script: STUBBORN } });
  await untilState(client, job.jobId, 'running');
  const pids = await waitFor(() => {
    const found = ['main.pid', 'escaped.pid'].map((f) => Number(readText(join(dir, f)).trim()));
    return found.every((p) => p > 0) ? found : undefined;
  }, 'the stubborn job to write its pids');
  return { dir, pids };
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

describeIfSlurm('the Slurm test cluster', () => {
  it('stops with jobs still running and leaves no daemon, process, cgroup or dir', async () => {
    const cluster = await LocalSlurm.start({ constrain: false });
    let stopped = false;
    try {
      expect(cluster.restSocket).toBeDefined();
      const { pids } = await startStubbornJob(cluster);
      expect(nodeCgroups(cluster.nodeName).length).toBeGreaterThan(0);
      await cluster.stop();
      stopped = true;
      expect(pids.filter(alive)).toEqual([]);
      expect(clusterProcesses(cluster.paths.dir, [])).toEqual([]);
      expect(nodeCgroups(cluster.nodeName)).toEqual([]);
      expect(existsSync(cluster.paths.dir)).toBe(false);
    } finally {
      if (!stopped) await cluster.stop();
    }
  }, 120_000);

  it('reaps a cluster whose starter was killed, at the next start', async () => {
    // A developer's Ctrl-C or a crashed test worker: the starter dies, its daemons and jobs live on.
    const starter = spawn(process.execPath, ['--import', 'tsx', 'test/support/slurm/cli.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const conf = await new Promise<string>((resolve, reject) => {
      starter.once('exit', (code) => reject(new Error(`the cluster starter exited (${code}) before printing SLURM_CONF`)));
      createInterface({ input: starter.stdout! }).on('line', (line) => {
        const m = /^export SLURM_CONF=(.+)$/.exec(line);
        if (m) resolve(m[1]!);
      });
    });
    const dir = conf.slice(0, -'/slurm.conf'.length);
    const nodeName = /^NodeName=(\S+)/m.exec(readFileSync(conf, 'utf8'))![1]!;
    const client = new SlurmClient({ slurmConf: conf });
    const job = await submitIn(client, join(dir, 'work'), { command: { kind: 'shell', script: 'exec sleep 1000' } });
    await untilState(client, job.jobId, 'running');
    const exited = new Promise((resolve) => starter.once('exit', resolve));
    starter.kill('SIGKILL');
    await exited;
    expect(clusterProcesses(dir, nodeCgroups(nodeName)).length).toBeGreaterThan(0);

    const next = await LocalSlurm.start({ constrain: false, rest: false });
    try {
      await waitForSlurm(async () => clusterProcesses(dir, nodeCgroups(nodeName)).length === 0, 'the abandoned cluster to be gone');
      expect(nodeCgroups(nodeName)).toEqual([]);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await next.stop();
    }
  }, 180_000);
});
