import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, fstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilities } from '../../electron/engine/isolation/capabilities';
import { FIFO_BATCH, FifoPool, POOL_TARGET, REFILL_BATCH, closePipes, type OutputPipe } from '../../electron/engine/supervisor/fifoPipes';
import { readOutput } from '../../electron/engine/supervisor/outputReader';
import { spawnProcess } from '../../electron/engine/supervisor/spawnProcess';
import { childrenOf, closeEngines, openEngine, tailText, tempDir, waitFor, waitForState } from './helpers';

const caps = capabilities();
const pools: FifoPool[] = [];
const taken: OutputPipe[] = [];

afterEach(async () => {
  closePipes(...taken.splice(0));
  for (const pool of pools.splice(0)) await pool.dispose();
  await closeEngines();
});

function newPool(dir = join(tempDir(), 'pipes')): FifoPool {
  const pool = new FifoPool(dir);
  pools.push(pool);
  return pool;
}

/** What a shell line prints about an fd: its file type (stat -L) and the open flags the kernel holds. */
const describeFd = (fd: number) => `stat -L -c %F /proc/self/fd/${fd}; grep '^flags' /proc/self/fdinfo/${fd}`;

/** fdinfo's flags (octal): O_NONBLOCK is 04000, O_CLOEXEC 02000000 on Linux. */
const flagsIn = (text: string) => [...text.matchAll(/^flags:\s+(\d+)/gm)].map((m) => Number.parseInt(m[1]!, 8));

/** This process's fds open on the pipe with this inode. */
function fdsOnInode(inode: number): number[] {
  return readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => {
      try {
        return fstatSync(fd).ino === inode && fstatSync(fd).isFIFO();
      } catch {
        return false; // The fd readdir itself used, closed by now.
      }
    });
}

describe.runIf(process.platform === 'linux')("a job's stdout and stderr on real pipes (FIFOs made ahead, then unlinked)", () => {
  it('are pipes the job writes to blocking, its output all read, the FIFO gone from the directory once taken', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const dir = join(dataDir, 'pipes');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The first batch at least (the next ones are made in the background meanwhile).
    expect(readdirSync(dir).length).toBeGreaterThanOrEqual(FIFO_BATCH);
    const job = engine.jobs.start({ command: { kind: 'shell', script: `${describeFd(1)}; ${describeFd(2)} >&2; stat -L -c "links %h" /proc/self/fd/1 /proc/self/fd/2; seq 1 2000` } });
    const ended = await waitForState(engine, job.id, 'exited');
    expect(ended.exitCode).toBe(0);
    const text = tailText(engine, job.id);
    expect(text.match(/^fifo$/gm)).toHaveLength(2);
    const flags = flagsIn(text);
    expect(flags).toHaveLength(2);
    for (const f of flags) expect(f & 0o4000).toBe(0);
    expect(text).toContain('\n1999\n2000\n');
    // Taken and unlinked: neither pipe has a name another process could open.
    expect(text.match(/^links 0$/gm)).toHaveLength(2);
  });

  it("are close-on-exec: a job started while another's pipe is open has none of its ends, and neither has any other child", async () => {
    const engine = openEngine();
    const holder = engine.jobs.start({ command: { kind: 'shell', script: 'stat -L -c "inode %i" /proc/self/fd/1; exec sleep 300' } });
    const inode = Number(await waitFor(() => /inode (\d+)/.exec(tailText(engine, holder.id))?.[1], () => 'the first job to print its pipe'));
    // The engine's read end and its own write end (held until the job's exit is seen), both close-on-exec.
    const engineFds = fdsOnInode(inode);
    expect(engineFds).toHaveLength(2);
    for (const fd of engineFds) expect(flagsIn(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))[0]! & 0o2000000).not.toBe(0);
    const lister = engine.jobs.start({ command: { kind: 'shell', script: 'for f in /proc/self/fd/*; do stat -L -c "fd %i" "$f" 2>/dev/null; done' } });
    await waitForState(engine, lister.id, 'exited');
    const inodes = [...tailText(engine, lister.id).matchAll(/^fd (\d+)$/gm)].map((m) => Number(m[1]));
    expect(inodes.length).toBeGreaterThanOrEqual(3);
    expect(inodes).not.toContain(inode);
    const other = spawnSync('sh', ['-c', 'for f in /proc/self/fd/*; do stat -L -c "%i" "$f" 2>/dev/null; done'], { encoding: 'utf8' });
    expect(other.stdout.split('\n').map(Number)).not.toContain(inode);
    engine.jobs.kill(holder.id);
    await waitForState(engine, holder.id, 'killed');
    // Ended: the engine's read end is closed with it.
    expect(fdsOnInode(inode)).toEqual([]);
  });

  it.runIf(caps.bwrap !== undefined && caps.root)('Maximum: the sandboxed job cannot see the FIFO directory, and its stdout is still a pipe', async () => {
    const dataDir = tempDir();
    const engine = openEngine({ dataDir });
    const dir = join(dataDir, 'pipes');
    const job = engine.jobs.start({
      command: { kind: 'shell', script: `ls -A "${dir}" 2>&1 | wc -l; ls -A "${dir}" >/dev/null 2>&1 || echo no-dir; stat -L -c %F /proc/self/fd/1` },
      isolation: { level: 'maximum' },
    });
    await waitForState(engine, job.id, 'exited');
    // On the host, its pool is there meanwhile (all but the two FIFOs the job took).
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    // The job's own output only: under load bwrap's inner init can still be in its exit when the
    // outer bwrap (the main process) has exited, and the engine then adds a line of its own
    // ("left 1 process … running"), a race of the run's end with sandboxes, not of the pipes.
    const stdout = engine.jobs.tail(job.id).chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join('');
    expect(stdout.trim().split('\n')).toEqual(['1', 'no-dir', 'fifo']);
  });
});

describe.runIf(process.platform === 'linux')('the FIFO pool', () => {
  it('hands out a pipe whose FIFO is unlinked, and makes a new batch in the background when it runs low', async () => {
    const pool = newPool();
    expect(pool.size).toBe(FIFO_BATCH);
    const first = pool.take()!;
    taken.push(first);
    expect(fstatSync(first.readFd).isFIFO()).toBe(true);
    expect(fstatSync(first.readFd).ino).toBe(fstatSync(first.writeFd).ino);
    expect(fstatSync(first.readFd).nlink).toBe(0);
    while (pool.size > 0) taken.push(pool.take()!);
    // Empty while the batch is being made: the caller uses the socketpair.
    expect(pool.take()).toBeUndefined();
    await waitFor(() => pool.size >= REFILL_BATCH || undefined, () => `a new batch (now ${pool.size})`);
  });

  it('makes nothing in the background until a run takes a pipe, then fills up to POOL_TARGET and no further', async () => {
    const dir = join(tempDir(), 'pipes');
    const pool = newPool(dir);
    expect(pool.size).toBe(FIFO_BATCH);
    // An engine that runs nothing forks no mkfifo (a background batch is spawned synchronously: it would be our child now).
    expect(childrenOf(process.pid).map((pid) => readFileSync(`/proc/${pid}/comm`, 'latin1').trim())).not.toContain('mkfifo');
    taken.push(pool.take()!);
    // Batch after batch while a whole one fits: 63 + 128 + 128.
    await waitFor(() => pool.size === FIFO_BATCH - 1 + 2 * REFILL_BATCH || undefined, () => `the pool full (now ${pool.size})`);
    expect(FIFO_BATCH - 1 + 3 * REFILL_BATCH).toBeGreaterThan(POOL_TARGET);
    // Full, a take makes no new batch: one would not fit under the target.
    taken.push(pool.take()!);
    expect(pool.size).toBe(FIFO_BATCH - 2 + 2 * REFILL_BATCH);
    expect(readdirSync(dir).length).toBe(pool.size);
  });

  it("removes a previous engine's FIFOs unused", () => {
    const dir = join(tempDir(), 'pipes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'old-0'), '');
    newPool(dir);
    expect(existsSync(join(dir, 'old-0'))).toBe(false);
  });

  it('without mkfifo stays empty, and spawns use the socketpair', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    let pool: FifoPool;
    try {
      pool = newPool();
    } finally {
      process.env.PATH = path;
    }
    expect(pool.size).toBe(0);
    expect(pool.take()).toBeUndefined();
  });

  it('a spawn with one pipe left gives stdout the pipe and stderr the socketpair, and reads both to their end', async () => {
    const pool = newPool();
    const pipe = pool.take()!;
    let given = false;
    const child = spawnProcess({ file: 'sh', args: ['-c', 'stat -L -c %F /proc/self/fd/1; stat -L -c %F /proc/self/fd/2 >&2'], cwd: '/', env: { PATH: process.env.PATH! } }, 'closed', {
      take: () => (given ? undefined : ((given = true), pipe)),
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await child.exited).toEqual({ kind: 'exit', exitCode: 0 });
    await child.outputClosed;
    expect(out).toBe('fifo\n');
    expect(err).toBe('socket\n');
  });

  it("is read like child_process's pipes: a flood moves to the reader's own two buffers, every byte in order, then the end", async () => {
    const pool = newPool();
    const count = 1_200_000; // ~8 MiB of seq's lines, after 64 KiB of x's
    // As outputReader.test.ts does it: the pipe is read only once it is full, so the first read
    // is a flood's whatever the machine's load.
    const script = `head -c 65536 /dev/zero | tr '\\0' x; echo filled >&2; seq 1 ${count}`;
    const child = spawnProcess({ file: 'sh', args: ['-c', script], cwd: '/', env: { PATH: process.env.PATH! } }, 'closed', pool);
    child.stdout!.pause();
    await new Promise((resolve) => child.stderr!.once('data', resolve));
    const received = createHash('sha256');
    let lentReads = 0;
    const reused = new Set<ArrayBufferLike>();
    readOutput(child.stdout!, {
      read(data, lent) {
        if (lent) lentReads++;
        received.update(data);
      },
      reusing: (buffer) => reused.add(buffer.buffer),
    });
    child.stdout!.resume();
    expect(await child.exited).toEqual({ kind: 'exit', exitCode: 0 });
    await child.outputClosed;
    const text = `${'x'.repeat(65536)}${Array.from({ length: count }, (_, i) => i + 1).join('\n')}\n`;
    expect(received.digest('hex')).toBe(createHash('sha256').update(text).digest('hex'));
    expect(lentReads).toBeGreaterThan(0);
    expect(reused.size).toBe(2);
  });

  it("holds the write ends until the main process's exit is seen: the pipes end after it, never before", async () => {
    const pool = newPool();
    const inodes: number[] = [];
    const child = spawnProcess({ file: 'sh', args: ['-c', 'echo out; echo err >&2'], cwd: '/', env: { PATH: process.env.PATH! } }, 'closed', {
      take: () => {
        const pipe = pool.take();
        if (pipe) inodes.push(fstatSync(pipe.readFd).ino);
        return pipe;
      },
    });
    expect(inodes).toHaveLength(2);
    const order: string[] = [];
    child.stdout!.on('end', () => order.push('stdout end'));
    child.stderr!.on('end', () => order.push('stderr end'));
    child.stdout!.resume();
    child.stderr!.resume();
    // Until then the engine has its read end and its write end of each (the job's death alone
    // makes no EOF: libuv would run the EOFs' callbacks before it reaps the job).
    for (const inode of inodes) expect(fdsOnInode(inode)).toHaveLength(2);
    await child.exited;
    order.push('exit');
    await child.outputClosed;
    expect(order[0]).toBe('exit');
    expect(order.sort()).toEqual(['exit', 'stderr end', 'stdout end']);
    for (const inode of inodes) expect(fdsOnInode(inode)).toEqual([]);
  });

  it('a failed spawn closes both ends of the pipes it took', async () => {
    const pool = newPool();
    const inodes: number[] = [];
    const child = spawnProcess({ file: '/nonexistent/program', args: [], cwd: '/', env: {} }, 'closed', {
      take: () => {
        const pipe = pool.take();
        if (pipe) inodes.push(fstatSync(pipe.readFd).ino);
        return pipe;
      },
    });
    expect((await child.exited).kind).toBe('spawn-error');
    await child.outputClosed;
    expect(inodes).toHaveLength(2);
    // By inode, not fd number: a closed fd's number may be another file's by now.
    for (const inode of inodes) expect(fdsOnInode(inode)).toEqual([]);
  });
});
