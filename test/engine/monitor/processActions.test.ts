import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { reniceProcess, setProcessAffinity, signalProcess } from '../../../electron/engine/monitor/processActions';
import { parseProcStat } from '../../../electron/engine/monitor/procStat';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { killOutside, startOutside, stateOf, threadAffinities, threadStats } from './outsideProcesses';
import { exited, waitForOutput } from './processes';
import { waitFor } from '../../support/wait';
import type { SignalName } from '../../../shared/signals';

afterEach(killOutside);

const until = (probe: () => boolean, what: string) => waitFor(probe, what);

/**
 * A Node process with every thread it will have (V8's workers start before user code; libuv's
 * pool of four starts with the first file-system request), to check that actions reach all of
 * them: it says "ready" once its first file read came back, so the pool exists.
 */
async function startThreaded() {
  const script = "require('fs').readFile(process.execPath, () => console.log('ready')); setInterval(() => {}, 1000)";
  const child = startOutside(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await waitForOutput(child, 'ready');
  await until(() => threadStats(child.pid).length > 4, 'node threads');
  return child;
}

function startTimeOf(pid: number): number {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'latin1'), 1)!.startTime;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('actions on any process', () => {
  it('stops, continues and terminates a process with signals, read back from /proc', async () => {
    const child = startOutside('sleep', ['300']);
    const target = { pid: child.pid, startTime: startTimeOf(child.pid) };
    expect(signalProcess(target, 'SIGSTOP').pid).toBe(child.pid);
    await until(() => stateOf(child.pid) === 'T', 'stopped state');
    signalProcess(target, 'SIGCONT');
    await until(() => stateOf(child.pid) === 'S', 'sleeping state');
    signalProcess(target, 'SIGTERM');
    await exited(child);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('renices every thread by default, and only the main thread on request', async () => {
    const child = await startThreaded();
    expect(reniceProcess({ pid: child.pid }, 7)).toEqual({ pid: child.pid, nice: 7 });
    expect(threadStats(child.pid).map((t) => t[16])).toEqual(threadStats(child.pid).map(() => '7'));

    reniceProcess({ pid: child.pid }, 12, false);
    const nices = threadStats(child.pid).map((t) => t[16]);
    expect(nices[0]).toBe('12');
    expect(nices.slice(1).every((n) => n === '7')).toBe(true);
  });

  it('sets the affinity of every thread, read back from each thread\'s status', async () => {
    const child = await startThreaded();
    const result = await setProcessAffinity({ pid: child.pid }, [0]);
    expect(result.cores).toEqual([0]);
    expect(new Set(threadAffinities(child.pid))).toEqual(new Set(['0']));
  });

  it('explains what is wrong: no such process, reused pid, bad nice, bad core, unknown signal, itself', async () => {
    const gone = startOutside('true', []);
    await exited(gone);
    expect(codeOf(() => signalProcess({ pid: gone.pid }, 'SIGTERM'))).toBe('NOT_FOUND');
    expect(codeOf(() => reniceProcess({ pid: gone.pid }, 5))).toBe('NOT_FOUND');
    await expect(setProcessAffinity({ pid: gone.pid }, [0])).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const live = startOutside('sleep', ['300']);
    const reused = { pid: live.pid, startTime: startTimeOf(live.pid) - 1 };
    expect(codeOf(() => signalProcess(reused, 'SIGKILL'))).toBe('NOT_FOUND');

    expect(codeOf(() => reniceProcess({ pid: live.pid }, 20))).toBe('INVALID_REQUEST');
    expect(codeOf(() => reniceProcess({ pid: live.pid }, 1.5))).toBe('INVALID_REQUEST');
    await expect(setProcessAffinity({ pid: live.pid }, [4095])).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'cores' });
    await expect(setProcessAffinity({ pid: live.pid }, [])).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(codeOf(() => signalProcess({ pid: live.pid }, 'SIGFOO' as SignalName))).toBe('INVALID_SIGNAL');
    expect(codeOf(() => signalProcess({ pid: 0 }, 'SIGTERM'))).toBe('INVALID_REQUEST');
    expect(codeOf(() => signalProcess({ pid: process.pid }, 'SIGTERM'))).toBe('INVALID_REQUEST');
    // The refused SIGKILL was never sent: signals arrive in order, so the SIGTERM sent now is
    // what ends the process (had the SIGKILL gone out, it would have died of that first).
    signalProcess({ pid: live.pid, startTime: startTimeOf(live.pid) }, 'SIGTERM');
    await exited(live);
    expect(live.signalCode).toBe('SIGTERM');
  });

  // Needs root to start the unprivileged side.
  it.runIf(process.getuid?.() === 0)('reports permission denied when an unprivileged user acts on root\'s process', async () => {
    const victim = startOutside('sleep', ['300']);
    // The checkout may not be readable by nobody (a fresh clone under a 0700 temp dir): bundle
    // the module into a world-readable file and run that with plain node.
    const dir = mkdtempSync(join(tmpdir(), 'procdeck-nobody-'));
    chmodSync(dir, 0o755);
    const bundle = join(dir, 'processActions.mjs');
    buildSync({
      entryPoints: [fileURLToPath(new URL('../../../electron/engine/monitor/processActions.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    chmodSync(bundle, 0o644);
    const script = `
      const m = await import(${JSON.stringify(bundle)});
      const out = [];
      for (const act of [() => m.signalProcess({ pid: ${victim.pid} }, 'SIGTERM'), () => m.reniceProcess({ pid: ${victim.pid} }, 5)]) {
        try { act(); out.push('done'); } catch (e) { out.push(e.code + ': ' + e.message); }
      }
      try { await m.setProcessAffinity({ pid: ${victim.pid} }, [0]); out.push('done'); } catch (e) { out.push(e.code + ': ' + e.message); }
      console.log(JSON.stringify(out));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 20_000,
    });
    rmSync(dir, { recursive: true, force: true });
    expect(result.stderr).toBe('');
    const lines = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as string[];
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^SYSTEM_REFUSED: permission denied/);
    expect(stateOf(victim.pid)).toMatch(/^[RS]$/);
  });
});
