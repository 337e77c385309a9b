import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/contract';
import type { JobState } from '../../shared/jobState';
import { waitFor } from '../support/wait';
import { apiCall } from './apiHelpers';

/** Clock ticks since boot at which a process started (/proc/<pid>/stat field 22), as process actions want it. */
function startTimeOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** Real jobs, processes and batches for the examples, made through the API itself. */
export class ApiFixture {
  private readonly children: ChildProcess[] = [];

  constructor(readonly port: number) {}

  call<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
    return apiCall(this.port, name, request);
  }

  async waitForState(jobId: string, states: JobState[]): Promise<void> {
    await waitFor(
      async () => (await this.call('jobs.list', {})).jobs.some((job) => job.id === jobId && states.includes(job.state)),
      `job ${jobId} to be ${states.join(' or ')}`,
    );
  }

  /** A running `cat`: it reads its stdin until that is closed, so it runs until told otherwise. */
  async runningJob(name = 'api cat'): Promise<string> {
    const { job } = await this.call('jobs.start', { spec: { name, command: { kind: 'argv', program: 'cat' } } });
    await this.waitForState(job.id, ['running']);
    return job.id;
  }

  /** A running job the monitor has sampled at least once (so it has a history, a tree and run metrics). */
  async sampledJob(): Promise<string> {
    const jobId = await this.runningJob('api sampled');
    await waitFor(async () => (await this.call('samples.history', { jobId })).points.length > 0, `a sample of job ${jobId}`);
    return jobId;
  }

  async pausedJob(): Promise<string> {
    const jobId = await this.runningJob('api paused');
    await this.call('jobs.pause', { jobId });
    await this.waitForState(jobId, ['paused']);
    return jobId;
  }

  async endedJob(): Promise<string> {
    const { job } = await this.call('jobs.start', { spec: { name: 'api true', command: { kind: 'argv', program: 'true' } } });
    await this.waitForState(job.id, ['exited']);
    return job.id;
  }

  /** A process that is not a job, started by the test (so Procdeck's own user's, in its session). */
  process(): { pid: number; startTime: number } {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    this.children.push(child);
    return { pid: child.pid!, startTime: startTimeOf(child.pid!) };
  }

  async finishedBatch(): Promise<string> {
    const { batch } = await this.call('batches.submit', { name: 'api batch', lines: 'false' });
    await waitFor(async () => (await this.call('batches.list', {})).batches.find((b) => b.id === batch.id)?.finishedAt !== undefined, `batch ${batch.id} to finish`);
    return batch.id;
  }

  async watched(): Promise<string> {
    return (await this.call('watch.add', this.process())).watched.id;
  }

  /** A config file of one job that does not start by itself (no process is left behind). */
  configFile(): string {
    const path = join(mkdtempSync(join(tmpdir(), 'pdk-api-config-')), 'procdeck.yaml');
    writeFileSync(path, 'jobs:\n  api-declared:\n    command: [sleep, "300"]\n');
    return path;
  }

  dispose(): void {
    for (const child of this.children.splice(0)) child.kill('SIGKILL');
  }
}

export interface CommandExample<N extends CommandName> {
  /** A request the command's schema accepts and the engine carries out (200). */
  valid(fixture: ApiFixture): CommandRequest<N> | Promise<CommandRequest<N>>;
  /** A request the command's schema refuses (and so does the OpenAPI document): 400 INVALID_REQUEST. */
  invalid: unknown;
}

/** One valid and one invalid request of every command; a command missing here does not compile. */
export const EXAMPLES: { [N in CommandName]: CommandExample<N> } = {
  'engine.info': { valid: () => ({}), invalid: [] },
  'jobs.list': { valid: () => ({}), invalid: 'jobs' },
  'jobs.start': { valid: () => ({ spec: { name: 'api start', command: { kind: 'argv', program: 'sleep', args: ['300'] } } }), invalid: { spec: { command: { kind: 'argv' } } } },
  'jobs.check': { valid: () => ({ spec: { command: { kind: 'shell', script: 'pyhton3 app.py' } } }), invalid: { spec: { command: { kind: 'shell' } } } },
  'jobs.stop': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: { jobId: '' } },
  'jobs.kill': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: { jobId: 42 } },
  'jobs.signal': { valid: async (f) => ({ jobId: await f.runningJob(), signal: 'SIGCONT' }), invalid: { jobId: 'j1', signal: 'SIGNOPE' } },
  'jobs.pause': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: {} },
  'jobs.resume': { valid: async (f) => ({ jobId: await f.pausedJob() }), invalid: { jobId: 'x'.repeat(101) } },
  'jobs.restart': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: { jobId: null } },
  'jobs.remove': { valid: async (f) => ({ jobId: await f.endedJob() }), invalid: [] },
  'jobs.writeStdin': { valid: async (f) => ({ jobId: await f.runningJob(), data: 'hello\n' }), invalid: { jobId: 'j1', data: 5 } },
  'jobs.closeStdin': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: { jobId: true } },
  'jobs.setAffinity': { valid: async (f) => ({ jobId: await f.runningJob(), cores: [0] }), invalid: { jobId: 'j1', cores: [] } },
  'jobs.renice': { valid: async (f) => ({ jobId: await f.runningJob(), nice: 5 }), invalid: { jobId: 'j1', nice: 40 } },
  'jobs.runs': { valid: async (f) => ({ jobId: await f.endedJob(), limit: 5 }), invalid: { jobId: 'j1', limit: 0 } },
  'groups.list': { valid: () => ({}), invalid: 7 },
  'groups.update': { valid: () => ({ name: 'api-group', limit: 3 }), invalid: { name: 'bad name!', limit: 0 } },
  'batches.submit': { valid: () => ({ name: 'api lines', lines: 'true\ntrue' }), invalid: { lines: 5 } },
  'batches.list': { valid: () => ({}), invalid: null },
  'batches.stop': { valid: async (f) => ({ batchId: await f.finishedBatch() }), invalid: { batchId: 1 } },
  'batches.retryFailed': { valid: async (f) => ({ batchId: await f.finishedBatch() }), invalid: {} },
  'logs.tail': { valid: async (f) => ({ jobId: await f.endedJob() }), invalid: { jobId: [] } },
  'logs.usage': { valid: () => ({}), invalid: 'all' },
  'logs.search': { valid: async (f) => ({ jobId: await f.endedJob(), run: 1, query: 'ready|done', regex: true, limit: 10 }), invalid: { jobId: 'j1', query: '' } },
  'samples.history': { valid: async (f) => ({ jobId: await f.runningJob() }), invalid: { jobId: '' } },
  'monitor.tree': { valid: async (f) => ({ subjectId: await f.sampledJob() }), invalid: { subjectId: 3 } },
  'monitor.history': { valid: async (f) => ({ subjectId: await f.runningJob(), range: '1m' }), invalid: { subjectId: 'j1', range: '1y' } },
  'monitor.csv': { valid: async (f) => ({ subjectId: await f.sampledJob() }), invalid: {} },
  'monitor.runMetrics': { valid: async (f) => ({ subjectId: await f.sampledJob() }), invalid: { subjectId: false } },
  'system.view': { valid: () => ({ visible: true, processes: { sort: 'pid' } }), invalid: { visible: 'yes' } },
  'system.processes': { valid: () => ({ filter: 'sleep', limit: 10 }), invalid: { limit: 0 } },
  'system.stats': { valid: () => ({}), invalid: 'now' },
  'processes.signal': { valid: (f) => ({ ...f.process(), signal: 'SIGCONT' }), invalid: { pid: 0, startTime: 1, signal: 'SIGCONT' } },
  'processes.renice': { valid: (f) => ({ ...f.process(), nice: 5 }), invalid: { pid: 1, startTime: -1, nice: 0 } },
  'processes.setAffinity': { valid: (f) => ({ ...f.process(), cores: [0] }), invalid: { pid: 1, startTime: 1, cores: [-1] } },
  'watch.add': { valid: (f) => f.process(), invalid: { pid: 'one' } },
  'watch.remove': { valid: async (f) => ({ id: await f.watched() }), invalid: {} },
  'watch.list': { valid: () => ({}), invalid: [1] },
  'alerts.setRules': { valid: async (f) => ({ subjectId: await f.runningJob(), rules: [{ kind: 'cpu', id: 'hot', percent: 90 }] }), invalid: { subjectId: 'j1', rules: [{ kind: 'cpu', id: 'r', percent: -1 }] } },
  'alerts.rules': { valid: async (f) => ({ subjectId: await f.runningJob() }), invalid: {} },
  'monitor.leaks': { valid: () => ({}), invalid: true },
  'alerts.history': { valid: () => ({ limit: 10 }), invalid: { limit: 0 } },
  'isolation.describe': { valid: () => ({ isolation: { level: 'enhanced' } }), invalid: { isolation: { level: 'extreme' } } },
  'settings.get': { valid: () => ({}), invalid: null },
  'backends.describe': { valid: () => ({}), invalid: 'where' },
  'settings.update': { valid: () => ({ maxConcurrent: 8 }), invalid: { maxConcurrent: 0 } },
  'access.rotateToken': { valid: () => ({}), invalid: 'rotate' },
  'config.load': { valid: (f) => ({ path: f.configFile() }), invalid: { path: '' } },
  'config.diff': { valid: (f) => ({ path: f.configFile() }), invalid: { path: 7 } },
  'config.apply': { valid: (f) => ({ path: f.configFile() }), invalid: { path: 'x'.repeat(5000) } },
  'config.export': { valid: () => ({}), invalid: [] },
  'config.status': { valid: () => ({}), invalid: [] },
  'config.setAutostart': { valid: () => ({ name: 'api-saved', autostart: true }), invalid: { name: 'api-saved', autostart: 'yes' } },
  'config.saveDefinition': { valid: () => ({ name: 'api-saved', spec: { command: { kind: 'argv', program: 'sleep', args: ['300'] } }, replace: true }), invalid: { name: 'bad name!', spec: {} } },
};
