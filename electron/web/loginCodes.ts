import { randomBytes } from 'node:crypto';
import { tokensEqual } from './auth';

export const LOGIN_CODE_TTL_MS = 60_000;
/** Codes are minted by the launcher only, a handful per start; the cap just bounds memory. */
const MAX_OUTSTANDING = 16;

/**
 * Single-use, short-lived login codes. The launcher opens the system browser with one
 * instead of the token: a browser's command line is readable by every user on the machine
 * (/proc/<pid>/cmdline) for as long as it runs, and a code is worthless once exchanged for
 * the cookie, or after a minute.
 */
export class LoginCodes {
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly ttlMs = LOGIN_CODE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(): string {
    this.forgetExpired();
    if (this.codes.size >= MAX_OUTSTANDING) this.codes.delete(this.codes.keys().next().value!);
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, this.now() + this.ttlMs);
    return code;
  }

  /** True once for a code that was issued and has not expired: a redeemed code is gone. */
  redeem(given: string): boolean {
    this.forgetExpired();
    for (const code of this.codes.keys()) {
      if (!tokensEqual(given, code)) continue;
      this.codes.delete(code);
      return true;
    }
    return false;
  }

  /** Every code issued so far stops working (the token they stand for was rotated). */
  revokeAll(): void {
    this.codes.clear();
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [code, expiresAt] of this.codes) if (expiresAt <= now) this.codes.delete(code);
  }
}
