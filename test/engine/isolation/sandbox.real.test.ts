import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { reapStaleCgroups } from '../../../electron/engine/isolation/reapCgroups';
import { dataDirIdentity } from '../../../electron/engine/supervisor/runMarker';
import { cleanupLaunched, groupMembers, launch, prepare, tempDataDir, waitFor } from './helpers';

const caps = probeCapabilities();
const sandbox = caps.bwrap !== undefined && caps.root;
const python = existsSync('/usr/bin/python3');

let server: Server | undefined;
afterEach(async () => {
  await cleanupLaunched();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const maximum = (script: string) => ({ command: { kind: 'shell' as const, script }, isolation: { level: 'maximum' as const }, caps });

describe.runIf(sandbox)('Maximum: the bubblewrap sandbox', () => {
  it.runIf(python)('cannot reach a port on 127.0.0.1 that the host listens on', async () => {
    let connections = 0;
    server = createServer((socket) => {
      connections++;
      // The client may reset the connection after connecting: that is not a test failure.
      socket.on('error', () => undefined);
      socket.end('hello');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const connect = `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), timeout=2); print('connected')"`;
    // Control: unsandboxed, the same command connects.
    const open = launch({ command: { kind: 'shell', script: connect }, caps });
    await open.ended();
    expect(open.output()).toContain('connected');
    expect(connections).toBe(1);

    const job = launch(maximum(connect));
    const { end } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 1 });
    expect(job.stderr()).toMatch(/ConnectionRefusedError|Network is unreachable/);
    expect(job.output()).not.toContain('connected');
    expect(connections).toBe(1);
  });

  it('cannot write outside its private dirs, and can write inside them', async () => {
    const marker = `procdeck-sandbox-${process.pid}`;
    const job = launch(
      maximum(`for d in /root /etc /var /usr "${process.cwd()}"; do touch "$d/${marker}" 2>/dev/null && echo "wrote $d"; done; touch ./inside && echo private-ok; touch /tmp/${marker} && echo tmp-ok; pwd`),
    );
    const { end } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 0 });
    expect(job.output()).not.toContain('wrote');
    for (const dir of ['/root', '/etc', '/var', '/usr', process.cwd()]) expect(existsSync(join(dir, marker))).toBe(false);
    expect(job.output()).toContain('private-ok');
    expect(job.output()).toContain('tmp-ok');
    expect(existsSync(`/tmp/${marker}`)).toBe(false); // its /tmp is its own
    const privateDir = job.prep.privateDir!;
    expect(job.output()).toContain(privateDir);
    expect(existsSync(join(privateDir, 'inside'))).toBe(true);
  });

  it('a job kept as root gets no capabilities: it cannot remount the system writable', async () => {
    const job = launch({
      command: { kind: 'shell', script: 'id -u; grep CapEff /proc/self/status; mount -o remount,rw / && echo remounted; touch /etc/procdeck-x 2>/dev/null && echo wrote' },
      isolation: { level: 'maximum' },
      runAs: { uid: 0, gid: 0 },
      caps,
    });
    await job.ended();
    expect(job.output()).toMatch(/^0\nCapEff:\s+0+\n$/);
    expect(existsSync('/etc/procdeck-x')).toBe(false);
    expect(job.prep.report.limits.find((l) => l.limit === 'runAs')?.value).toBe('root, without capabilities');
  });

  it('sees only its own processes and runs as nobody', async () => {
    const job = launch(maximum('ls /proc | grep -c "^[0-9]"; id -u; cat /proc/1/cmdline | tr "\\0" " "'));
    await job.ended();
    const [count, uid, init] = job.output().split('\n');
    // bwrap's init, the shell, ls, grep: nothing of the host.
    expect(Number(count)).toBeLessThanOrEqual(5);
    expect(uid).toBe('65534');
    expect(init).toContain('bwrap');
  });

  it('holds only the cleaned environment', async () => {
    const job = launch({
      command: { kind: 'argv', program: 'env' },
      spec: { env: { set: { JOB_OWN: 'kept' } } },
      isolation: { level: 'maximum' },
      caps,
      baseEnv: { ...process.env, SECRET_TOKEN: 'leak', LANG: 'C.UTF-8' },
    });
    await job.ended();
    const names = job.output().trim().split('\n').map((l) => l.split('=')[0]).sort();
    // PWD is not inherited: bwrap (like any shell) sets it to the working directory. The run's marker is kept.
    expect(names).toEqual(['HOME', 'JOB_OWN', 'LANG', 'PATH', 'PDK_RUN_ID', 'PWD']);
    expect(job.output()).toContain(`PDK_RUN_ID=${job.marker}\n`);
    expect(job.output()).toContain(`PWD=${job.prep.privateDir}\n`);
    expect(job.output()).toContain('PATH=/usr/bin:/bin\n');
    expect(job.output()).toContain(`HOME=${job.prep.privateDir}\n`);
  });

  it('lets the job handle SIGTERM sent to its group (a graceful stop, not an instant kill)', async () => {
    const job = launch(maximum('trap "echo got-term; exit 7" TERM; echo ready; sleep 30 & wait'));
    await waitFor(() => job.output().includes('ready'), 'the job to start');
    process.kill(-job.pid, 'SIGTERM');
    const { end } = await job.ended();
    expect(job.output()).toContain('got-term');
    expect(end).toEqual({ kind: 'exit', exitCode: 7 });
  });

  it('reports a job killed inside the sandbox as killed, and names the memory limit', async () => {
    const job = launch({
      command: { kind: 'argv', program: '/usr/bin/node', args: ['-e', 'const b = Buffer.alloc(400 * 1024 * 1024); b.fill(1)'] },
      isolation: { level: 'maximum', overrides: { memoryBytes: 128 * 1024 * 1024 } },
      caps,
    });
    const { end, reason } = await job.ended();
    expect(end).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(reason).toBe('memory limit 128 MiB exceeded (the kernel killed the job)');
  });

  it('dies when its parent (the engine) is SIGKILLed', async () => {
    const dataDir = tempDataDir();
    const runId = `t${process.pid}-parent`;
    const parent = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/sandboxParent.ts'), dataDir, runId, 'echo up; sleep 300 & sleep 301'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString())));
      const { pid } = JSON.parse(line) as { pid: number };
      const members = await waitFor(() => {
        const m = groupMembers(pid);
        return m.length >= 4 ? m : undefined; // bwrap, its init, sh, two sleeps (some may still be starting)
      }, 'the sandbox to start');
      parent.kill('SIGKILL');
      await waitFor(() => groupMembers(pid).length === 0, 'every sandboxed process to die', 3000);
      expect(members.length).toBeGreaterThanOrEqual(4);
    } finally {
      parent.kill('SIGKILL');
      reapStaleCgroups(caps, dataDirIdentity(dataDir), [runId]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a program the sandbox hides', () => {
    const script = join(tempDataDir(), 'script.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n', { mode: 0o755 });
    expect(() => prepare({ command: { kind: 'argv', program: script }, isolation: { level: 'maximum' }, caps })).toThrow(
      `${script} is inside /tmp, which the Maximum sandbox hides; move the program to a system directory or the job's private directory`,
    );
  });
});

describe('Maximum without bubblewrap', () => {
  it('is refused with a clear message, never weakened', () => {
    const noBwrap = { ...caps, bwrap: undefined, bwrapProblem: 'bubblewrap (bwrap) is not installed' };
    expect(() => prepare({ command: { kind: 'shell', script: 'true' }, isolation: { level: 'maximum' }, caps: noBwrap })).toThrow(
      'isolation level Maximum needs a bubblewrap sandbox: bubblewrap (bwrap) is not installed; choose Enhanced or install bubblewrap',
    );
  });
});
