import { readFileSync } from 'node:fs';
import type { RunAs } from '../../../shared/isolation';
import { EngineError } from '../engineError';
import type { Capabilities } from './capabilities';

/** A user and group resolved to numeric ids; the names are kept for messages. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  label: string;
  /** From /etc/passwd, when the uid has an entry. */
  home?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface AccountFiles {
  passwd: string;
  group: string;
}

function readAccounts(): AccountFiles {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return { passwd: read('/etc/passwd'), group: read('/etc/group') };
}

function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 7 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! }));
}

function parseGroups(text: string): { name: string; gid: number }[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[2]!))
    .map((f) => ({ name: f[0]!, gid: Number(f[2]) }));
}

/**
 * Resolves names through /etc/passwd and /etc/group (not NSS: LDAP users are not seen; give
 * numeric ids for those). A user without a group takes the user's primary group: running
 * with gid 0 by accident would hand the job root's group.
 */
export function resolveUser(runAs: RunAs, accounts: AccountFiles = readAccounts()): ResolvedUser {
  const users = parsePasswd(accounts.passwd);
  const groups = parseGroups(accounts.group);
  let user: PasswdEntry | undefined;
  let uid: number | undefined;
  if (typeof runAs.uid === 'string') {
    user = users.find((u) => u.name === runAs.uid);
    if (!user) throw new EngineError('INVALID_SPEC', `run as: no user named "${runAs.uid}" in /etc/passwd`, 'runAs.uid');
    uid = user.uid;
  } else if (typeof runAs.uid === 'number') {
    uid = runAs.uid;
    user = users.find((u) => u.uid === uid);
  }
  let gid: number | undefined;
  let groupName: string | undefined;
  if (typeof runAs.gid === 'string') {
    const group = groups.find((g) => g.name === runAs.gid);
    if (!group) throw new EngineError('INVALID_SPEC', `run as: no group named "${runAs.gid}" in /etc/group`, 'runAs.gid');
    gid = group.gid;
    groupName = group.name;
  } else if (typeof runAs.gid === 'number') {
    gid = runAs.gid;
  } else if (user) {
    gid = user.gid;
  }
  if (gid === undefined) {
    throw new EngineError('INVALID_SPEC', `run as: uid ${uid} has no entry in /etc/passwd, so give a group too`, 'runAs.gid');
  }
  groupName ??= groups.find((g) => g.gid === gid)?.name;
  if (uid === undefined) uid = process.getuid?.() ?? 0; // group only: keep the user
  const label = `${user?.name ?? `uid ${uid}`}:${groupName ?? `gid ${gid}`}`;
  return { uid, gid, label, home: user?.home };
}

/** The login shell /etc/passwd gives a user (a name or numeric id), as su and sudo -i start it; undefined when unknown. */
export function loginShellOf(user: string, accounts: AccountFiles = readAccounts()): string | undefined {
  const entry = parsePasswd(accounts.passwd).find((u) => u.name === user || (/^\d+$/.test(user) && u.uid === Number(user)));
  return entry?.shell || undefined;
}

/** The unprivileged account a Maximum job runs as when the engine is root and no user was named. */
export function nobodyUser(accounts: AccountFiles = readAccounts()): ResolvedUser {
  const users = parsePasswd(accounts.passwd);
  const nobody = users.find((u) => u.name === 'nobody');
  const groups = parseGroups(accounts.group);
  const group = groups.find((g) => g.name === 'nogroup') ?? groups.find((g) => g.name === 'nobody');
  const uid = nobody?.uid ?? 65534;
  const gid = group?.gid ?? nobody?.gid ?? 65534;
  return { uid, gid, label: `${nobody?.name ?? `uid ${uid}`}:${group?.name ?? `gid ${gid}`}` };
}

/** Refuses run-as unless the engine can switch users: only root can. */
export function checkCanRunAs(user: ResolvedUser, caps: Capabilities): void {
  if (user.uid === caps.uid && user.gid === caps.gid) return; // already that user: nothing to switch
  if (!caps.root) {
    throw new EngineError('UNSUPPORTED', `running a job as ${user.label} needs Procdeck to run as root (it runs as uid ${caps.uid})`, 'runAs');
  }
  if (!caps.setpriv) throw new EngineError('UNSUPPORTED', 'running a job as another user needs setpriv (util-linux), which is not installed', 'runAs');
}

/**
 * setpriv exec's the rest of the command line with the new ids, so the job keeps its pid
 * and process group. Supplementary groups are cleared (root's would otherwise stay), and
 * capabilities go with the uid change; the inheritable and bounding sets are emptied too so
 * that nothing can bring them back.
 */
export function setprivArgs(setpriv: string, user: ResolvedUser): string[] {
  return [setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--'];
}
