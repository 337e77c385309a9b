import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../electron/engine/engine';
import { EngineError } from '../../electron/engine/engineError';
import { JobStore } from '../../electron/engine/store/jobStore';
import { jobSpecSchema } from '../../shared/jobSpec';
import type { JobSnapshot } from '../../shared/jobSnapshot';
import { mountSmallDisk, type SmallDisk } from '../support/smallDisk';
import { encodeSubmittedSnapshot, tailText, tempDir, waitFor, waitForState } from './helpers';

// Mounted while the tests are collected: whether they can run at all is known before they do.
const mounted = mountSmallDisk('5m');
const disk: SmallDisk | undefined = 'refused' in mounted ? undefined : mounted;
const refused = 'refused' in mounted ? mounted.refused : undefined;
if (refused) console.warn(`SKIPPED: the disk-full tests need a real 5 MiB filesystem, and ${refused}`);
afterAll(() => disk?.unmount());

/** Every line of every journal segment is a whole JSON record: no torn write was left behind. */
function journalLines(dataDir: string): unknown[] {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('jobs.journal-'))
    .flatMap((name) => readFileSync(join(dataDir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

const tickOf = (text: string) => Math.max(0, ...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));

describe.skipIf(refused !== undefined)('a full disk (a real 5 MiB tmpfs as the data dir)', () => {
  it('stops a flooding job’s log and says so, the job and a bystander go on, saved state stays intact; when space is back the log resumes and says what was lost', async () => {
    const dataDir = join(disk!.dir, 'engine');
    mkdirSync(dataDir, { mode: 0o700 });
    const engine = Engine.open({ dataDir, settings: { logMaxBytes: 64 * 1024, logFilesKept: 2 } });
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    let filler: string | undefined;
    // Floods until the gate file appears (on another filesystem), then trickles: once space is
    // back, the note about what was lost stays in the file instead of being rotated away.
    const gate = join(tempDir(), 'gate');
    const flood = engine.jobs.start({ name: 'flood', command: { kind: 'shell', script: `while [ ! -e ${gate} ]; do yes | head -c 262144; done; while :; do echo slow; sleep 0.05; done` } });
    // The engine's own lines in the flood's live log (its tail rolls over too fast to look there).
    let floodSystemLines = '';
    engine.events.on('logs.appended', ({ batches }) => {
      for (const batch of batches) if (batch.jobId === flood.id) for (const c of batch.chunks) if (c.stream === 'system') floodSystemLines += c.text;
    });
    try {
      const bystander = engine.jobs.start({ name: 'bystander', command: { kind: 'shell', script: 'i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.02; done' } });
      await waitFor(() => engine.jobs.get(flood.id).outputBytes > 1024 * 1024 && tickOf(tailText(engine, bystander.id)) > 0, 'both jobs writing');
      const savedJobs = readFileSync(join(dataDir, 'jobs.json'), 'utf8');

      filler = disk!.fill();
      await waitFor(() => notices.find((n) => /job flood: the log file .* stopped: ENOSPC/.test(n)), () => `a notice that the flood's log stopped (notices: ${notices.join(' | ')})`);
      await waitFor(() => /^the log file .* stopped: ENOSPC: no space left on device.*The job goes on/m.test(floodSystemLines), 'the live log to say so');
      expect(engine.jobs.get(flood.id).state).toBe('running');
      // The bystander's output still arrives live (its own file is on the same full disk).
      const tickWhenFull = tickOf(tailText(engine, bystander.id));
      await waitFor(() => tickOf(tailText(engine, bystander.id)) > tickWhenFull + 5, 'the bystander to go on printing');
      expect(engine.jobs.get(bystander.id).state).toBe('running');

      // Settings cannot be saved: the request says so and nothing changes.
      expect(() => engine.settings.update({ confirmKill: false })).toThrow(/could not save the settings \(ENOSPC.*nothing was changed/);
      expect(engine.settings.get().confirmKill).toBe(true);
      // What was saved is intact: jobs.json as it was, every journal line whole, no temporary file left.
      expect(readFileSync(join(dataDir, 'jobs.json'), 'utf8')).toBe(savedJobs);
      expect(journalLines(dataDir).length).toBeGreaterThan(0);
      expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

      writeFileSync(gate, '');
      const outputAtGate = engine.jobs.get(flood.id).outputBytes;
      await waitFor(() => /slow\n$/.test(tailText(engine, flood.id)) && engine.jobs.get(flood.id).outputBytes > outputAtGate, 'the flood to turn into a trickle');
      rmSync(filler);
      const resumed = await waitFor(
        () => notices.find((n) => /job flood: the log file .* is written again; [\d.]+ (B|KiB|MiB|GiB) of output were not saved/.test(n)),
        'a notice that the flood’s log is written again',
      );
      expect(resumed).toMatch(/were not saved while it could not be/);
      await waitFor(() => /^the log file .* is written again/m.test(floodSystemLines), 'the live log to say so');
      const logDir = join(dataDir, 'logs', flood.id);
      const logText = readdirSync(logDir)
        .map((name) => readFileSync(join(logDir, name), 'latin1'))
        .join('');
      // Procdeck's own line in the file is a line of the procdeck stream after its time, at the start of a line even
      // where the full disk cut the last write short inside one.
      expect(logText).toMatch(/\n@\d{4}-\d\d-\d\dT[\d:.]+Z\n! [\d.]+ (B|KiB|MiB|GiB) of output missing here: the log file could not be written \(ENOSPC/);

      engine.jobs.stop(flood.id);
      engine.jobs.stop(bystander.id);
      await waitForState(engine, flood.id, 'killed');
      await waitForState(engine, bystander.id, 'killed');
    } finally {
      if (filler) rmSync(filler, { force: true });
      rmSync(dirname(gate), { recursive: true, force: true });
      await engine.shutdown();
    }
    const reopened = Engine.open({ dataDir });
    try {
      expect(reopened.jobs.list().map((j) => j.name).sort()).toEqual(['bystander', 'flood']);
      expect(reopened.openingNotices).toEqual([]);
    } finally {
      await reopened.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs end and restart while the disk is full (the running registry cannot be written): the engine stays up and says so, and recovers once space is back', async () => {
    const dataDir = join(disk!.dir, 'registry');
    mkdirSync(dataDir, { mode: 0o700 });
    const engine = Engine.open({ dataDir });
    const notices: string[] = [];
    engine.events.on('engine.notice', ({ message }) => notices.push(message));
    let filler: string | undefined;
    try {
      const gate = join(tempDir(), 'gate');
      // Each run waits for the gate, then exits 1; restart "always" makes the next run at once.
      const flapping = engine.jobs.start({
        name: 'flapping',
        command: { kind: 'shell', script: `while [ ! -e ${gate} ]; do sleep 0.02; done; exit 1` },
        restart: { when: 'always', initialDelayMs: 0, maxDelayMs: 0, maxRestarts: 10_000, minUptimeMs: 0 },
      });
      const steady = engine.jobs.start({ name: 'steady', command: { kind: 'shell', script: 'sleep 600' } });
      await waitForState(engine, flapping.id, 'running');
      await waitForState(engine, steady.id, 'running');
      filler = disk!.fill();
      const runsBefore = engine.jobs.get(flapping.id).runCount;
      writeFileSync(gate, '');
      // Ends and new spawns each append to the running registry on the full disk.
      await waitFor(() => engine.jobs.get(flapping.id).runCount >= runsBefore + 3, 'the flapping job to restart three times on the full disk');
      await waitFor(() => notices.find((n) => /could not record running jobs .*running\.journal \(ENOSPC\)/.test(n)), () => `a notice about the running registry (notices: ${notices.join(' | ')})`);
      engine.jobs.stop(steady.id);
      await waitForState(engine, steady.id, 'killed');
      expect(engine.info().dataDir).toBe(dataDir);
      rmSync(filler);
      filler = undefined;
      // The next change rewrites the journal whole: it names the run that is live now, every line readable.
      const runsAtSpace = engine.jobs.get(flapping.id).runCount;
      await waitFor(() => engine.jobs.get(flapping.id).runCount > runsAtSpace && engine.jobs.get(flapping.id).state === 'running', 'a restart once space is back');
      await waitFor(() => notices.find((n) => /running jobs are recorded in .*running\.journal again/.test(n)), 'a notice that the registry is written again');
      const journal = readFileSync(join(dataDir, 'running.journal'), 'utf8');
      expect(journal).toContain(engine.jobs.get(flapping.id).runId!);
      for (const line of journal.split('\n').filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
      rmSync(gate);
      engine.jobs.stop(flapping.id);
      await waitForState(engine, flapping.id, ['killed', 'exited']);
      rmSync(dirname(gate), { recursive: true, force: true });
    } finally {
      if (filler) rmSync(filler, { force: true });
      await engine.shutdown();
    }
    // A clean shutdown after space came back leaves nothing to recover.
    const reopened = Engine.open({ dataDir });
    try {
      expect(reopened.recovered).toEqual([]);
    } finally {
      await reopened.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('at save time: a new job is refused with a clear error, jobs.json keeps its previous content, and saving resumes when space is back', () => {
    const dataDir = join(disk!.dir, 'store');
    mkdirSync(dataDir, { mode: 0o700 });
    const jobs = new Map<string, JobSnapshot>();
    const snapshot = (id: string): JobSnapshot => ({
      id,
      name: id,
      spec: jobSpecSchema.parse({ command: { kind: 'shell', script: 'true' } }),
      state: 'exited',
      exitCode: 0,
      runCount: 1,
      queuedAt: 1,
      outputBytes: 0,
      stdinOpen: false,
      restarts: { automatic: 0, manual: 0 },
    });
    const reports: string[] = [];
    const store = new JobStore(join(dataDir, 'jobs.json'), { jobIds: () => [...jobs.keys()], snapshot: (id) => jobs.get(id), batches: () => [], beforeCompaction: () => undefined }, (m) => reports.push(m));
    store.load();
    jobs.set('kept', snapshot('kept'));
    expect(store.compactNow()).toBe(true);
    const before = readFileSync(join(dataDir, 'jobs.json'), 'utf8');

    const filler = disk!.fill();
    const refusedSave = (() => {
      try {
        store.recordSubmitted([encodeSubmittedSnapshot(snapshot('new'))], 1);
      } catch (error) {
        return error;
      }
    })();
    expect(refusedSave).toBeInstanceOf(EngineError);
    expect((refusedSave as EngineError).code).toBe('SYSTEM_REFUSED');
    expect((refusedSave as EngineError).message).toMatch(/could not save the job before starting it \(ENOSPC: no space left on device.*nothing was started/);

    jobs.set('later', snapshot('later'));
    expect(store.compactNow()).toBe(false);
    expect(reports.join('\n')).toMatch(/could not save jobs to .*jobs\.json \(ENOSPC: no space left on device.*the saved files are left as they were, and saving is retried/);
    expect(readFileSync(join(dataDir, 'jobs.json'), 'utf8')).toBe(before);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(journalLines(dataDir).every((line) => JSON.stringify(line).includes('"new"') === false)).toBe(true);

    rmSync(filler);
    expect(store.compactNow()).toBe(true);
    expect(reports.at(-1)).toMatch(/saving works again/);
    store.close();
    const reread = new JobStore(join(dataDir, 'jobs.json'), { jobIds: () => [], snapshot: () => undefined, batches: () => [], beforeCompaction: () => undefined }, () => undefined);
    expect(reread.load().jobs.map((j) => j.id)).toEqual(['kept', 'later']);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
