import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLogText } from '../../electron/engine/logs/logFileDecoding';
import { versionOf } from '../../electron/engine/logs/logFileFormat';
import { runLogPath } from '../../electron/engine/logs/runLogFiles';
import { FLOOD_READ_BYTES, readOutput } from '../../electron/engine/supervisor/outputReader';
import { isFinal } from '../../shared/jobState';
import { closeEngines, openEngine, tempDir, waitFor, waitForState } from './helpers';

afterEach(closeEngines);

/** Numbered lines on a stream, `<tag> <n>` for n from 0 to count-1, in sed's 4 KiB writes. */
const numbered = (tag: string, count: number, to = '') => `seq 0 ${count - 1} | sed 's/^/${tag} /'${to}`;

/** The numbers of a stream's lines in the order the file has them. */
function numbersOf(text: string, tag: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${tag} `))
    .map((line) => Number(line.split(' ')[1]));
}

const sequence = (count: number) => Array.from({ length: count }, (_, i) => i);

describe('reading a job pipe', () => {
  it('moves a flooding pipe to its own two buffers, in turn, and every byte arrives in order', async () => {
    const count = 1_200_000; // ~8 MiB of `seq`'s lines, after 64 KiB of x's
    // The job fills the pipe with 64 KiB, says so on stderr, then goes on; the pipe is read only
    // once it is full, so the first read is a flood's whatever the machine's load.
    const script = `head -c 65536 /dev/zero | tr '\\0' x; echo filled >&2; seq 1 ${count}`;
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((resolve) => child.stderr.once('data', resolve));
    const text = `${'x'.repeat(65536)}${sequence(count).map((i) => i + 1).join('\n')}\n`;
    const received = createHash('sha256');
    let total = 0;
    let lentReads = 0;
    const reused = new Set<ArrayBufferLike>();
    readOutput(child.stdout, {
      read(data, lent) {
        total += data.length;
        if (lent) lentReads++;
        received.update(data);
      },
      reusing(buffer) {
        reused.add(buffer.buffer);
      },
    });
    child.stdout.resume();
    await new Promise((resolve) => child.stdout.once('close', resolve));
    expect(total).toBe(text.length);
    expect(received.digest('hex')).toBe(createHash('sha256').update(text).digest('hex'));
    expect(lentReads).toBeGreaterThan(0);
    expect(reused.size).toBe(2);
  });

  it('keeps a quiet pipe on the stream: reads under FLOOD_READ_BYTES are never lent', async () => {
    const child = spawn('sh', ['-c', 'echo one; echo two'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const reads: { text: string; lent: boolean }[] = [];
    readOutput(child.stdout, { read: (data, lent) => reads.push({ text: data.toString(), lent }), reusing: () => undefined });
    await new Promise((resolve) => child.stdout.once('close', resolve));
    expect(reads.map((r) => r.text).join('')).toBe('one\ntwo\n');
    expect(reads.every((r) => !r.lent && r.text.length < FLOOD_READ_BYTES)).toBe(true);
  });

  it('a job that floods stdout and stderr and exits at once has every line of both on disk, each stream in its order', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir, settings: { logMaxBytes: 1024 * 1024 * 1024 } });
    const count = 300_000; // ~3 MB a stream, written faster than a loaded engine reads: both are likely lent reads by the end
    const script = `${numbered('out', count)} & ${numbered('err', count, ' >&2')} & wait`;
    const job = engine.jobs.start({ command: { kind: 'shell', script } });
    const ended = await waitForState(engine, job.id, 'exited', 120_000);
    expect(ended.exitCode).toBe(0);
    const text = readFileSync(runLogPath(dataDir, job.id, ended.runId!), 'utf8');
    const chunks = decodeLogText(text, versionOf(text));
    const of = (stream: string) => chunks.filter((c) => c.stream === stream).map((c) => c.text).join('');
    expect(numbersOf(of('stdout'), 'out')).toEqual(sequence(count));
    expect(numbersOf(of('stderr'), 'err')).toEqual(sequence(count));
    expect(ended.outputBytes).toBe(Buffer.byteLength(of('stdout')) + Buffer.byteLength(of('stderr')));
  });

  it('a flooding job leaves the event loop free for everything else', async () => {
    const engine = openEngine();
    const job = engine.jobs.start({ command: { kind: 'shell', script: 'yes "a flood of lines that does not stop on its own"' } });
    // Turns of the event loop while the flood goes on: a reader that never yielded would allow none;
    // libuv's 32 reads of at most 64 KiB a readiness make 32 MiB at least 16 turns.
    let turns = 0;
    let turning = true;
    const turn = () => {
      turns++;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    await waitFor(() => engine.jobs.get(job.id).outputBytes > 32 * 1024 * 1024, 'the flood to pass 32 MiB', 60_000);
    turning = false;
    expect(engine.jobs.get(job.id).state).toBe('running');
    expect(turns).toBeGreaterThan(10);
    engine.jobs.stop(job.id);
    await waitFor(() => isFinal(engine.jobs.get(job.id).state), 'the flood job to end', 30_000);
  });
});
