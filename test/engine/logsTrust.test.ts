import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_FORMAT_HEADER } from '../../electron/engine/logs/logFileFormat';
import { RunLog } from '../../electron/engine/logs/runLog';
import { runLogPath } from '../../electron/engine/logs/runLogFiles';
import { savedRunTail } from '../../electron/engine/logs/savedRunTail';
import type { Engine } from '../../electron/engine/engine';
import type { JobSnapshot, LogChunk } from '../../shared/jobSnapshot';
import { describeJobState } from '../../shared/jobStateText';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from './helpers';

afterEach(closeEngines);

/** A line of the file after its header: a read's time, or a line marked with its stream (1, 2, !) and whether it ends (space) or goes on (+). */
const TIME_LINE = /^@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ENTRY = /^(@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$|[12!][ +])/;

function fileLines(engine: Engine, dataDir: string, jobId: string): string[] {
  return readFileSync(runLogPath(dataDir, jobId, engine.jobs.get(jobId).runId!), 'utf8').split('\n').slice(0, -1);
}

/** Each stream's text, as the chunks carry it. */
function byStream(chunks: readonly LogChunk[]): Record<string, string> {
  const text: Record<string, string> = {};
  for (const chunk of chunks) text[chunk.stream] = (text[chunk.stream] ?? '') + chunk.text;
  return text;
}

const systemText = (engine: Engine, jobId: string) => byStream(engine.jobs.tail(jobId).chunks).system ?? '';

describe('the log file marks the stream of each line', () => {
  it('each read its time line, each line its stream mark (1, 2, !) and a space (line ends) or + (goes on); grep finds stderr alone', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    // "half" is read before its newline exists: the file must say the line goes on.
    const job = engine.jobs.start({ command: { kind: 'shell', script: "echo out1; echo err1 >&2; printf half; read go; echo ' done'" }, stdin: 'pipe' });
    await waitFor(() => byStream(engine.jobs.tail(job.id).chunks).stdout?.endsWith('half'), 'the half line to be read');
    engine.jobs.writeStdin(job.id, 'go\n');
    await waitForState(engine, job.id, 'exited');
    const lines = fileLines(engine, dataDir, job.id);
    expect(`${lines[0]}\n`).toBe(LOG_FORMAT_HEADER);
    const entries = lines.slice(1);
    for (const line of entries) expect(line).toMatch(ENTRY);
    expect(entries[0]).toMatch(TIME_LINE);
    // Across the two pipes the order is the order of the reads (see the last tests); within one it is the job's.
    expect(entries.filter((line) => line.startsWith('1'))).toEqual(['1 out1', '1+half', '1  done']);
    expect(entries.filter((line) => /^2/.test(line))).toEqual(['2 err1']);
    // Times are when the output arrived, in order.
    const times = entries.filter((line) => TIME_LINE.test(line)).map((line) => Date.parse(line.slice(1)));
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('is read back, streams and times included, for a run from before the engine restarted', async () => {
    const dataDir = tempDir();
    const first = openEngine({ dataDir });
    const job = first.jobs.start({ command: { kind: 'shell', script: 'echo out1; echo err1 >&2; printf unfinished' } });
    await waitForState(first, job.id, 'exited');
    const live = first.jobs.tail(job.id);
    await first.shutdown();

    const second = openEngine({ dataDir });
    const saved = second.jobs.tail(job.id);
    expect(saved.runId).toBe(live.runId);
    expect(byStream(saved.chunks)).toEqual({ stdout: 'out1\nunfinished', stderr: 'err1\n' });
    expect(saved.chunks.every((chunk) => typeof chunk.at === 'number')).toBe(true);
    expect(saved.truncated).toBe(false);
    expect(saved.filePath).toBe(runLogPath(dataDir, job.id, live.runId!));
  });

  it('reads a file from before the stream marks as it was: output as stdout, "[procdeck] " lines as Procdeck’s', () => {
    const dataDir = tempDir();
    const job = { id: 'j-old', runId: 'r-old' } as JobSnapshot;
    mkdirSync(join(dataDir, 'logs', job.id), { recursive: true });
    writeFileSync(runLogPath(dataDir, job.id, job.runId!), 'hello\nan error\n[procdeck] timed out after 1 s; stopping\n');
    expect(savedRunTail(dataDir, job, 1 << 20).chunks).toEqual([
      { stream: 'stdout', text: 'hello\nan error\n' },
      { stream: 'system', text: 'timed out after 1 s; stopping\n' },
    ]);
    // From the middle of a big file, the first (cut) line is left out, and the tail says it is partial.
    const tail = savedRunTail(dataDir, job, 45);
    expect(tail.truncated).toBe(true);
    expect(tail.chunks).toEqual([{ stream: 'system', text: 'timed out after 1 s; stopping\n' }]);
  });

  it('says so when the log file of a saved run is gone', () => {
    const job = { id: 'j-gone', runId: 'r-gone' } as JobSnapshot;
    expect(savedRunTail(tempDir(), job, 1 << 20).chunks).toEqual([{ stream: 'system', text: 'no output of this run to show: its log file is gone\n' }]);
  });

  it('rotates between whole entries: every file starts with the header and a time line, every line after it is an entry', () => {
    const dir = tempDir();
    const log = new RunLog({ filePath: join(dir, 'r.log'), fileMaxBytes: 4096, filesKept: 3, tailMaxBytes: 1 << 20 });
    // Reads of several lines each: a part starts inside one read as often as not.
    const read = (i: number) => [0, 1, 2, 3, 4].map((k) => `line ${i}.${k} ${'x'.repeat((i + k) % 50)}\n`).join('');
    for (let i = 0; i < 400; i++) log.append(i % 3 === 0 ? 'stderr' : 'stdout', Buffer.from(read(i)));
    log.note('a note');
    log.close();
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['r.log', 'r.log.1', 'r.log.2']);
    for (const name of files) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect(text.length).toBeLessThanOrEqual(4096);
      const [header, ...entries] = text.split('\n').slice(0, -1);
      expect(`${header}\n`).toBe(LOG_FORMAT_HEADER);
      // A part says when its first lines arrived, also one that starts inside a read.
      expect(entries[0]).toMatch(TIME_LINE);
      for (const entry of entries) expect(entry).toMatch(ENTRY);
    }
    expect(readFileSync(join(dir, 'r.log'), 'utf8')).toMatch(/Z\n! a note\n$/);
  });
});

describe("Procdeck's own lines say only what matters", () => {
  it('a plain sleep stopped, and a run that ends on its own, add no line', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { maxConcurrent: 8 } });
    const stopped = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const shell = engine.jobs.start({ command: { kind: 'shell', script: 'echo hi; sleep 300' } });
    const ends = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 0.1; echo done' } });
    await waitForState(engine, stopped.id, 'running');
    await waitFor(() => byStream(engine.jobs.tail(shell.id).chunks).stdout === 'hi\n', 'the shell job to print');
    engine.jobs.stop(stopped.id);
    engine.jobs.stop(shell.id);
    for (const job of [stopped, shell]) await waitForState(engine, job.id, 'killed');
    await waitForState(engine, ends.id, 'exited');
    for (const job of [stopped, shell, ends]) expect(systemText(engine, job.id)).toBe('');
    for (const job of [shell, ends]) expect(fileLines(engine, dataDir, job.id).filter((line) => line.includes(' procdeck '))).toEqual([]);
    // The sleep wrote nothing and the engine said nothing of it: it left no file to hold nothing.
    expect(existsSync(runLogPath(dataDir, stopped.id, engine.jobs.get(stopped.id).runId!))).toBe(false);
  });

  it('a main process that leaves processes running: the line says how it ended and names how many it left', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'sleep 300 & sleep 300 & echo started' }, graceMs: 1000 });
    await waitForState(engine, job.id, ['killed', 'exited'], 30_000);
    expect(systemText(engine, job.id)).toMatch(
      // Each named by its command line as read then: a background child may not have exec'd sleep yet.
      /^the main process exited \(0\) and left 2 processes \(pid \d+ .+, pid \d+ .+\) running; stopping them \(SIGTERM, then SIGKILL after 1 s\)\n$/,
    );
  });
});

describe("an operator's Stop reads as a stop", () => {
  it('Stop: the state is what the signal did, endRequest says stop, endedBy who asked (the operator) and the reason so in words; Kill says kill', async () => {
    const engine = openEngine({ settings: { maxConcurrent: 8 } });
    const stopped = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const killed = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    const trapping = engine.jobs.start({ command: { kind: 'shell', script: "trap 'exit 3' TERM; echo ready; sleep 300 & wait" } });
    const ownEnd = engine.jobs.start({ command: { kind: 'argv', program: 'true' } });
    await waitForState(engine, stopped.id, 'running');
    await waitForState(engine, killed.id, 'running');
    await waitFor(() => byStream(engine.jobs.tail(trapping.id).chunks).stdout === 'ready\n', 'the trap to be set');
    engine.jobs.stop(stopped.id);
    engine.jobs.kill(killed.id);
    engine.jobs.stop(trapping.id);
    expect(await waitForState(engine, stopped.id, 'killed')).toMatchObject({ signal: 'SIGTERM', endRequest: 'stop', endedBy: 'operator', reason: 'stopped by operator' });
    expect(await waitForState(engine, killed.id, 'killed')).toMatchObject({ signal: 'SIGKILL', endRequest: 'kill', endedBy: 'operator', reason: 'killed by operator' });
    expect(await waitForState(engine, trapping.id, 'exited')).toMatchObject({ exitCode: 3, endRequest: 'stop', endedBy: 'operator', reason: 'stopped by operator' });
    const own = await waitForState(engine, ownEnd.id, 'exited');
    expect(own).not.toHaveProperty('endedBy');
    expect(own).not.toHaveProperty('endRequest');
    expect(own.reason).toBeUndefined();
  });

  it('a timeout is no request: endedBy says timeout, and the run reads "timed out", not "stopped"', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] }, timeoutMs: 200 });
    const ended = await waitForState(engine, job.id, 'timed-out');
    expect(ended).toMatchObject({ endedBy: 'timeout' });
    expect(ended).not.toHaveProperty('endRequest');
    expect(describeJobState(ended)).toBe('timed out');
  });

  it('a job stopped because Procdeck shut down says so after the restart', async () => {
    const dataDir = tempDir();
    const first = openEngine({ dataDir });
    const job = first.jobs.start({ command: { kind: 'argv', program: 'sleep', args: ['300'] } });
    await waitForState(first, job.id, 'running');
    await first.shutdown();
    const after = openEngine({ dataDir }).jobs.get(job.id);
    expect(after).toMatchObject({ state: 'killed', endRequest: 'stop', endedBy: 'engine-shutdown', reason: 'stopped when Procdeck shut down' });
    expect(describeJobState(after)).toBe('stopped');
  });
});

/** The job's lines "out N" / "err N" in the order a log holds them, each with the stream it is marked with. */
function written(chunks: readonly LogChunk[]): { n: number; wrote: string; marked: string }[] {
  return chunks.flatMap((chunk) =>
    chunk.text
      .split('\n')
      .map((text) => /^(out|err) (\d+)$/.exec(text))
      .filter((match) => match !== null)
      .map((match) => ({ n: Number(match[2]), wrote: match[1]!, marked: chunk.stream })),
  );
}

describe('the order of lines written back to back to stdout and stderr', () => {
  const script = 'i=0; while [ $i -lt 300 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done';

  it('two pipes: each stream keeps its own order, every line its mark, and the file holds them in the order the live log got them', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const job = engine.jobs.start({ command: { kind: 'shell', script } });
    await waitForState(engine, job.id, 'exited');
    const live = written(engine.jobs.tail(job.id).chunks);
    expect(live).toHaveLength(600);
    for (const stream of ['out', 'err']) expect(live.filter((line) => line.wrote === stream).map((line) => line.n)).toEqual([...Array(300).keys()]);
    expect(live.every((line) => line.marked === (line.wrote === 'err' ? 'stderr' : 'stdout'))).toBe(true);
    await engine.shutdown();
    expect(written(openEngine({ dataDir }).jobs.tail(job.id).chunks)).toEqual(live);
  });

  it('mergeStderr: one pipe keeps the exact order the job wrote in (every line then marked stdout)', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const job = engine.jobs.start({ command: { kind: 'shell', script }, mergeStderr: true });
    await waitForState(engine, job.id, 'exited');
    const expected = [...Array(300).keys()].flatMap((n) => [{ n, wrote: 'out', marked: 'stdout' }, { n, wrote: 'err', marked: 'stdout' }]);
    expect(written(engine.jobs.tail(job.id).chunks)).toEqual(expected);
    await engine.shutdown();
    expect(written(openEngine({ dataDir }).jobs.tail(job.id).chunks)).toEqual(expected);
  });
});
