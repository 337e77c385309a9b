import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isFinal } from '../../shared/jobState';
import { tokenCookieName } from '../../electron/web/auth';
import { closeEngines, waitFor } from '../engine/helpers';
import { apiCall, bearer, httpCall } from './apiHelpers';
import { parseExposition, seriesOf, type Sample } from './exposition';
import { startHostChild, stopHostChildren } from './hostChild';
import { PROM_CLIENT_LINT, promtoolCheck } from './promtool';
import { TEST_TOKEN } from './helpers';

afterEach(stopHostChildren);
afterAll(closeEngines);

/** A name with everything the text format must escape in a label value. */
const AWKWARD_NAME = 'a "quoted" back\\slash\nand a second line';
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

async function scrape(port: number): Promise<{ text: string; samples: Sample[] }> {
  const response = await httpCall(port, { method: 'GET', path: '/metrics', headers: bearer() });
  expect(response.status, response.text).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return { text: response.text, samples: parseExposition(response.text) };
}

/** CPU seconds the kernel has charged to a process so far (utime + stime, /proc/<pid>/stat). */
function kernelCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

describe('GET /metrics from a running host process with jobs', () => {
  it("passes promtool, escapes label values, and carries each job's figures, the queue per group, alerts and the process's own", async () => {
    const host = await startHostChild({ token: TEST_TOKEN });
    const { port } = host;
    // A job burning CPU, under the awkward name, with a runtime alert rule that fires at once.
    const busy = (
      await apiCall(port, 'jobs.start', {
        spec: {
          name: AWKWARD_NAME,
          // One line first: a log file is made at a run's first line, and the logs' figures below need one.
          command: { kind: 'argv', program: 'sh', args: ['-c', 'echo busy; while :; do :; done'] },
          alerts: [{ kind: 'runtime', id: 'ran', seconds: 0.001, action: 'notify' }],
        },
      })
    ).job;
    // A job that fails once, is restarted by its policy, and fails again: it has restarts and an exit code.
    const failing = (
      await apiCall(port, 'jobs.start', {
        spec: { name: 'fails', group: 'work', command: { kind: 'shell', script: 'exit 3' }, restart: { when: 'on-failure', initialDelayMs: 0, maxRestarts: 1, minUptimeMs: 0 } },
      })
    ).job;
    // A paused group holds its job in the queue.
    await apiCall(port, 'groups.update', { name: 'held', paused: true });
    const held = (await apiCall(port, 'jobs.start', { spec: { name: 'held', group: 'held', command: { kind: 'argv', program: 'true' } } })).job;

    await waitFor(async () => {
      const { jobs } = await apiCall(port, 'jobs.list', {});
      const failed = jobs.find((j) => j.id === failing.id);
      return failed && isFinal(failed.state) && failed.restarts.automatic >= 1 && failed.restarts.nextAt === undefined;
    }, 'the failing job to have been restarted and to have ended');

    // Scrape until the busy job has been sampled with CPU time and its alert has fired.
    const busyLabels = { job_id: busy.id, job_name: AWKWARD_NAME, group: 'default', backend: 'local' };
    const { text, samples } = await waitFor(async () => {
      const scraped = await scrape(port);
      const cpu = seriesOf(scraped.samples, 'procdeck_job_cpu_seconds_total', busyLabels)[0]?.value ?? 0;
      const alerts = seriesOf(scraped.samples, 'procdeck_alerts_fired_total', { action: 'notify' })[0]?.value ?? 0;
      return cpu > 0 && alerts >= 1 && scraped;
    }, 'a scrape with CPU seconds of the busy job and its alert counted');
    const busyPid = (await apiCall(port, 'jobs.list', {})).jobs.find((j) => j.id === busy.id)!.pid!;
    const kernelCpu = kernelCpuSeconds(busyPid);

    // The real tool: the exposition parses, and lints clean apart from prom-client's own known names.
    const verdict = promtoolCheck(text);
    expect(verdict.status, verdict.problems.join('\n')).not.toBe(1);
    expect(verdict.problems.filter((p) => !PROM_CLIENT_LINT.includes(p))).toEqual([]);

    // Label values escaped as the format says: backslash, quote and newline.
    expect(text).toContain('job_name="a \\"quoted\\" back\\\\slash\\nand a second line"');
    expect(seriesOf(samples, 'procdeck_job_state', { ...busyLabels, state: 'running' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(samples, 'procdeck_job_state', { job_id: busy.id })).toHaveLength(1);

    // CPU: never more than the kernel charged (read after the scrape), and not nothing.
    const cpu = seriesOf(samples, 'procdeck_job_cpu_seconds_total', busyLabels)[0]!.value;
    expect(cpu).toBeGreaterThan(0);
    expect(cpu).toBeLessThanOrEqual(kernelCpu + 1 / CLK_TCK);
    expect(seriesOf(samples, 'procdeck_job_resident_memory_bytes', busyLabels)[0]!.value).toBeGreaterThan(0);
    expect(seriesOf(samples, 'procdeck_job_processes', busyLabels)[0]!.value).toBeGreaterThanOrEqual(1);

    const failingLabels = { job_id: failing.id, job_name: 'fails', group: 'work', backend: 'local' };
    expect(seriesOf(samples, 'procdeck_job_last_exit_code', failingLabels)).toMatchObject([{ value: 3 }]);
    expect(seriesOf(samples, 'procdeck_job_restarts_total', { ...failingLabels, kind: 'automatic' })[0]!.value).toBeGreaterThanOrEqual(1);
    expect(seriesOf(samples, 'procdeck_job_restarts_total', { ...failingLabels, kind: 'manual' })).toMatchObject([{ value: 0 }]);
    expect(seriesOf(samples, 'procdeck_job_output_bytes_total', failingLabels)).toMatchObject([{ value: 0 }]);

    expect(seriesOf(samples, 'procdeck_group_queued_jobs', { group: 'held' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(samples, 'procdeck_job_state', { job_id: held.id, state: 'queued' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(samples, 'procdeck_jobs', { state: 'queued' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(samples, 'procdeck_jobs_without_series')).toMatchObject([{ value: 0 }]);

    // The run logs' disk space, as logs.usage says it: scraped between two equal answers (a job's log may still get a line).
    const logs = await waitFor(async () => {
      const before = await apiCall(port, 'logs.usage', {});
      const scraped = (await scrape(port)).samples;
      const after = await apiCall(port, 'logs.usage', {});
      return JSON.stringify(before) === JSON.stringify(after) && { usage: after, scraped };
    }, 'a scrape while the logs did not grow');
    expect(logs.usage.usedBytes).toBeGreaterThan(0);
    expect(seriesOf(logs.scraped, 'procdeck_log_bytes')).toMatchObject([{ value: logs.usage.usedBytes }]);
    expect(seriesOf(logs.scraped, 'procdeck_log_files')).toMatchObject([{ value: logs.usage.files }]);
    expect(seriesOf(logs.scraped, 'procdeck_log_budget_bytes')).toMatchObject([{ value: 1024 ** 3 }]);

    // Procdeck's own CPU and memory, from the host process itself.
    expect(seriesOf(samples, 'process_cpu_seconds_total')[0]!.value).toBeGreaterThan(0);
    expect(seriesOf(samples, 'process_resident_memory_bytes')[0]!.value).toBeGreaterThan(0);
    // No health series: the contract has no job health yet, and a placeholder would be a lie.
    expect(samples.filter((s) => s.name.includes('health'))).toEqual([]);
  }, 120_000);

  it('is refused without the bearer token, with the token as a cookie, and to a page of another origin', async () => {
    const host = await startHostChild({ token: TEST_TOKEN });
    expect((await httpCall(host.port, { method: 'GET', path: '/metrics' })).status).toBe(401);
    expect((await httpCall(host.port, { method: 'GET', path: '/metrics', headers: { Cookie: `${tokenCookieName(host.port)}=${TEST_TOKEN}` } })).status).toBe(401);
    expect((await httpCall(host.port, { method: 'GET', path: '/metrics', headers: { ...bearer(), Origin: 'http://attacker.example' } })).status).toBe(403);
  }, 120_000);
});

describe('promtool itself', () => {
  it('fails an exposition that does not parse (so a pass above means something)', () => {
    expect(promtoolCheck('procdeck_job_state{job_name="unterminated} 1\n').status).toBe(1);
  });
});
