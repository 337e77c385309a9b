import { readFileSync, statSync } from 'node:fs';

/** uid → login name from /etc/passwd, re-read only when the file changes. */
export class UserNames {
  private names = new Map<number, string>();
  private loadedMtime = -1;
  private checkedAt = -Infinity;

  constructor(
    private readonly passwdPath = '/etc/passwd',
    private readonly recheckMs = 10_000,
  ) {}

  /** The login name, or the uid as text when no passwd line names it (containers, LDAP users). */
  name(uid: number): string {
    this.refresh();
    return this.names.get(uid) ?? String(uid);
  }

  private refresh(): void {
    const now = Date.now();
    if (now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    let mtime: number;
    try {
      mtime = statSync(this.passwdPath).mtimeMs;
    } catch {
      return;
    }
    if (mtime === this.loadedMtime) return;
    this.loadedMtime = mtime;
    this.names = parsePasswd(readFileSync(this.passwdPath, 'utf8'));
  }
}

export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uidText] = line.split(':');
    const uid = Number(uidText);
    // The first line wins, as getpwuid does.
    if (name && uidText && Number.isInteger(uid) && !names.has(uid)) names.set(uid, name);
  }
  return names;
}
