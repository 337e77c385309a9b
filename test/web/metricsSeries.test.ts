import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import type { Engine } from '../../electron/engine/engine';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { FINISHED_JOB_RETENTION_MS, type ExportLimits } from '../../electron/host/metrics/exportedJobs';
import { ProcdeckMetrics } from '../../electron/host/metrics/procdeckMetrics';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpServer } from '../engine/health/loopbackServers';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from '../engine/helpers';
import { parseExposition, seriesOf } from './exposition';
import { promtoolCheck, PROM_CLIENT_LINT } from './promtool';

const collectors: ProcdeckMetrics[] = [];
afterEach(() => {
  for (const collector of collectors.splice(0)) collector.dispose();
});
afterAll(closeEngines);

/** The metrics of a real engine, read through the contract as the hosts read them, at a time the test chooses. */
function metricsOf(engine: Engine, clock: { now: number }, limits?: ExportLimits) {
  const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
  const collector = new ProcdeckMetrics({ dispatch, events: engine.events, now: () => clock.now, limits });
  collectors.push(collector);
  return async () => parseExposition(await collector.render());
}

describe('the series are bounded', () => {
  it(`keeps a finished job's series for ${FINISHED_JOB_RETENTION_MS / 60_000} minutes after it ended, then drops them (it is still counted)`, async () => {
    const engine = openEngine();
    const clock = { now: Date.now() };
    const scrape = metricsOf(engine, clock);
    const job = engine.jobs.start({ name: 'short', command: { kind: 'argv', program: 'true' } });
    const ended = await waitForState(engine, job.id, 'exited');

    clock.now = ended.endedAt! + FINISHED_JOB_RETENTION_MS;
    const kept = await scrape();
    expect(seriesOf(kept, 'procdeck_job_state', { job_id: job.id, state: 'exited' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(kept, 'procdeck_job_last_exit_code', { job_id: job.id })).toMatchObject([{ value: 0 }]);

    clock.now = ended.endedAt! + FINISHED_JOB_RETENTION_MS + 1;
    const dropped = await scrape();
    expect(dropped.filter((s) => s.labels.job_id === job.id)).toEqual([]);
    expect(seriesOf(dropped, 'procdeck_jobs', { state: 'exited' })).toMatchObject([{ value: 1 }]);
    expect(seriesOf(dropped, 'procdeck_jobs_without_series')).toMatchObject([{ value: 0 }]);
  });

  it('never has series for more jobs than the cap: the newest are kept, the rest counted', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 8 } });
    const clock = { now: Date.now() };
    const scrape = metricsOf(engine, clock, { retentionMs: FINISHED_JOB_RETENTION_MS, maxJobs: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = engine.jobs.start({ name: `sleeper ${i}`, command: { kind: 'argv', program: 'sleep', args: ['300'] } });
      ids.push((await waitForState(engine, job.id, 'running')).id);
    }
    clock.now = Date.now();
    const samples = await scrape();
    const exported = new Set(seriesOf(samples, 'procdeck_job_state').map((s) => s.labels.job_id));
    expect(exported.size).toBe(2);
    expect(seriesOf(samples, 'procdeck_jobs_without_series')).toMatchObject([{ value: 1 }]);
    expect(seriesOf(samples, 'procdeck_jobs', { state: 'running' })).toMatchObject([{ value: 3 }]);
    // Every job's series name only exported jobs.
    expect(samples.filter((s) => s.labels.job_id !== undefined && !exported.has(s.labels.job_id))).toEqual([]);
  });

  it('forgets a removed job, and its last exit code', async () => {
    const engine = openEngine();
    const clock = { now: Date.now() };
    const scrape = metricsOf(engine, clock);
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'exit 7' } });
    await waitForState(engine, job.id, 'exited');
    clock.now = Date.now();
    expect(seriesOf(await scrape(), 'procdeck_job_last_exit_code', { job_id: job.id })).toMatchObject([{ value: 7 }]);
    engine.jobs.remove(job.id);
    const after = await scrape();
    expect(after.filter((s) => s.labels.job_id === job.id)).toEqual([]);
    expect(seriesOf(after, 'procdeck_jobs', { state: 'exited' })).toMatchObject([{ value: 0 }]);
  });

  it('answers concurrent scrapes each with a whole exposition that promtool accepts', async () => {
    const engine = openEngine();
    const clock = { now: Date.now() };
    const dispatch = createDispatch(createCommandHandlers(engine, { host: 'browser', version: 'test' }));
    const collector = new ProcdeckMetrics({ dispatch, events: engine.events, now: () => clock.now });
    collectors.push(collector);
    engine.jobs.start({ name: 'one', command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const texts = await Promise.all([collector.render(), collector.render(), collector.render()]);
    for (const text of texts) {
      const verdict = promtoolCheck(text);
      expect(verdict.problems.filter((p) => !PROM_CLIENT_LINT.includes(p))).toEqual([]);
      expect(seriesOf(parseExposition(text), 'procdeck_job_state')).toHaveLength(1);
    }
  });
});

describe('the samples', () => {
  it("keeps each running job's resident memory and processes through ticks that did not change them, also when the collector began after the engine's first ticks", async () => {
    const engine = openEngine({ settings: { sampleIntervalMs: 100 } });
    const ticks: EventPayload<'samples.tick'>[] = [];
    engine.events.on('samples.tick', (tick) => ticks.push(tick));
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const job = engine.jobs.start({ name: `sleeper ${i}`, command: { kind: 'argv', program: 'sleep', args: ['300'] } });
      ids.push((await waitForState(engine, job.id, 'running')).id);
    }
    // Both sampled before the collector listens: the ticks it hears afterwards may name neither.
    // Each in some tick: a tick carries only the samples that moved, so one naming both may never come.
    await waitFor(() => ids.every((id) => ticks.some((t) => t.samples.some((s) => s.jobId === id))), 'each sleeper sampled in a tick');
    const clock = { now: Date.now() };
    const scrape = metricsOf(engine, clock);
    const heardFrom = ticks.length;
    await waitFor(() => ticks.slice(heardFrom + 1).some((t) => t.samples.length === 0), 'a tick after that with no change to send');
    clock.now = Date.now();
    const exposition = await scrape();
    for (const id of ids) {
      expect(seriesOf(exposition, 'procdeck_job_resident_memory_bytes', { job_id: id })).toMatchObject([{ value: expect.any(Number) }]);
      expect(seriesOf(exposition, 'procdeck_job_processes', { job_id: id })).toMatchObject([{ value: 1 }]);
    }
  });
});

describe('health', () => {
  it('a declared service with a readiness probe has one procdeck_job_health series, starting then healthy', async () => {
    const control = { status: 503 };
    const web = await startHttpServer((_req, res) => res.writeHead(control.status).end());
    try {
      const engine = openEngine();
      const scrape = metricsOf(engine, { now: Date.now() });
      const path = join(tempDir('pdk-config-'), 'procdeck.yaml');
      writeFileSync(path, `jobs:\n  svc:\n    command: [sleep, "300"]\n    autostart: true\n    readiness: { http: "${web.url}", interval: 100ms }\n`);
      const id = (await engine.services.load(path)).jobs[0]!.jobId;
      await waitForState(engine, id, 'running');
      await waitFor(() => engine.jobs.get(id).health?.readiness?.results.length, 'a first (failed) probe');
      const starting = await scrape();
      expect(seriesOf(starting, 'procdeck_job_health', { job_id: id })).toMatchObject([{ labels: { state: 'starting' }, value: 1 }]);
      control.status = 200;
      await waitFor(() => engine.jobs.get(id).health?.state === 'healthy', 'healthy');
      const healthy = await scrape();
      expect(seriesOf(healthy, 'procdeck_job_health', { job_id: id })).toMatchObject([{ labels: { state: 'healthy' }, value: 1 }]);
      expect(promtoolCheck(await collectors.at(-1)!.render()).problems.filter((p) => !PROM_CLIENT_LINT.includes(p))).toEqual([]);
    } finally {
      await web.close();
    }
  });
});
