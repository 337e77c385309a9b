import { afterEach, describe, expect, it } from 'vitest';
import { probeCapabilities } from '../../../electron/engine/isolation/capabilities';
import { checkCanRunAs, nobodyUser, resolveUser } from '../../../electron/engine/isolation/runAs';
import { cleanupLaunched, launch, prepare } from './helpers';

afterEach(cleanupLaunched);

const accounts = {
  passwd: ['root:x:0:0:root:/root:/bin/bash', 'alice:x:1000:1000:Alice:/home/alice:/bin/bash', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin'].join('\n'),
  group: ['root:x:0:', 'alice:x:1000:', 'staff:x:50:alice', 'nogroup:x:65534:'].join('\n'),
};
const caps = probeCapabilities({ skipTrials: true });

describe('run as another user', () => {
  it('resolves names through /etc/passwd and /etc/group', () => {
    expect(resolveUser({ uid: 'alice' }, accounts)).toEqual({ uid: 1000, gid: 1000, label: 'alice:alice', home: '/home/alice' });
    expect(resolveUser({ uid: 'alice', gid: 'staff' }, accounts)).toMatchObject({ uid: 1000, gid: 50, label: 'alice:staff' });
    expect(resolveUser({ uid: 1000, gid: 65534 }, accounts)).toMatchObject({ uid: 1000, gid: 65534, label: 'alice:nogroup' });
    expect(nobodyUser(accounts)).toEqual({ uid: 65534, gid: 65534, label: 'nobody:nogroup' });
  });

  it('refuses unknown names, and a bare unknown uid without a group (never gid 0 by accident)', () => {
    expect(() => resolveUser({ uid: 'mallory' }, accounts)).toThrow('run as: no user named "mallory" in /etc/passwd');
    expect(() => resolveUser({ uid: 'alice', gid: 'wheel' }, accounts)).toThrow('run as: no group named "wheel" in /etc/group');
    expect(() => resolveUser({ uid: 4242 }, accounts)).toThrow('run as: uid 4242 has no entry in /etc/passwd, so give a group too');
  });

  it('is refused when Procdeck does not run as root', () => {
    const user = resolveUser({ uid: 'alice' }, accounts);
    const notRoot = { ...caps, root: false, uid: 1001, gid: 1001 };
    expect(() => checkCanRunAs(user, notRoot)).toThrow('running a job as alice:alice needs Procdeck to run as root (it runs as uid 1001)');
    expect(() => prepare({ command: { kind: 'shell', script: 'id' }, runAs: { uid: 65534, gid: 65534 }, caps: notRoot })).toThrow(/needs Procdeck to run as root/);
  });

  it.runIf(caps.root && caps.setpriv !== undefined)('runs the job with the ids asked for, no supplementary groups, same pid', async () => {
    const job = launch({ command: { kind: 'shell', script: 'id -u; id -g; id -G; echo $$' }, runAs: { uid: 'nobody' }, caps });
    const { end } = await job.ended();
    expect(end).toEqual({ kind: 'exit', exitCode: 0 });
    const [uid, gid, groups, pid] = job.output().trim().split('\n');
    const nobody = nobodyUser();
    expect(Number(uid)).toBe(nobody.uid);
    expect(gid).toBe(groups);
    // setpriv exec's: the shell is still the process the supervisor started (the group leader).
    expect(Number(pid)).toBe(job.pid);
  });
});
