import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** A fresh access token: 128 random bits as 32 hex digits. */
export function generateToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Constant-time comparison. Both sides are hashed first so that neither the length nor
 * the position of the first differing byte leaks through timing.
 */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * Cookies are not isolated by port, so two hosts on one machine would overwrite each
 * other's cookie under a shared name: the name carries the port.
 */
export const tokenCookieName = (port: number) => `procdeck_token_${port}`;

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    const name = part.slice(0, Math.max(eq, 0)).trim();
    if (name !== '') cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Where a request may carry the token: the `token` query parameter, or our cookie. */
export interface TokenSources {
  queryToken: string | null;
  cookieHeader: string | undefined;
}

export type TokenCheck = { ok: true; via: 'query' | 'cookie' } | { ok: false };

export function checkToken({ queryToken, cookieHeader }: TokenSources, port: number, token: string): TokenCheck {
  if (queryToken !== null && tokensEqual(queryToken, token)) return { ok: true, via: 'query' };
  const cookie = parseCookies(cookieHeader).get(tokenCookieName(port));
  if (cookie !== undefined && tokensEqual(cookie, token)) return { ok: true, via: 'cookie' };
  return { ok: false };
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = ['0.0.0.0', '::', ''];

/** `::1` → `[::1]`: the form an IPv6 address takes in a Host header or URL. */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * Host names a legitimate request may name in its Host header: the name we were bound
 * to, the loopback names, and, when bound to every interface, the machine's own names.
 * Anything else is a DNS-rebinding attempt (an attacker's name resolving to us).
 */
export function allowedHostNames(boundHost: string, machineNames: readonly string[] = []): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (WILDCARD_ADDRESSES.includes(boundHost)) for (const name of machineNames) names.add(hostForUrl(name).toLowerCase());
  else names.add(hostForUrl(boundHost).toLowerCase());
  return names;
}

/** True when the Host header names one of the allowed names with exactly our port. */
export function isAllowedHost(hostHeader: string | undefined, allowedNames: ReadonlySet<string>, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d+)$/i.exec(hostHeader.trim());
  if (!match) return false;
  return allowedNames.has(match[1]!.toLowerCase()) && Number(match[2]) === port;
}

/**
 * The Origin a page served by us sends: same scheme, and the host it was loaded from (the
 * Host header, already checked). It must match exactly; a missing Origin does not match.
 */
export function isSameOrigin(originHeader: string | undefined, hostHeader: string): boolean {
  return originHeader !== undefined && originHeader.toLowerCase() === `http://${hostHeader.trim().toLowerCase()}`;
}

/** Methods that cannot change state, and so need no Origin check (browsers omit Origin on them). */
export const isSafeMethod = (method: string | undefined) => method === 'GET' || method === 'HEAD';

export interface RequestFacts {
  method: string | undefined;
  hostHeader: string | undefined;
  originHeader: string | undefined;
  queryToken: string | null;
  cookieHeader: string | undefined;
  /** The `login` query parameter: a single-use code the launcher opened the browser with. */
  loginCode: string | null;
  isUpgrade: boolean;
}

export interface AccessPolicy {
  token: string;
  port: number;
  allowedHosts: ReadonlySet<string>;
}

export type AccessDecision =
  | { allowed: true; tokenVia: 'query' | 'cookie' | 'login' }
  | { allowed: false; status: 401 | 403 | 421; reason: string };

/**
 * The whole access policy in one function, checked in this order: Host (DNS rebinding),
 * then a login code (a page load only; `redeemLoginCode` uses it up), then the token, then
 * Origin for upgrades and state-changing requests.
 */
export function decideAccess(request: RequestFacts, policy: AccessPolicy, redeemLoginCode: (code: string) => boolean = () => false): AccessDecision {
  if (!isAllowedHost(request.hostHeader, policy.allowedHosts, policy.port)) {
    return { allowed: false, status: 421, reason: 'this server does not answer to that Host name' };
  }
  if (request.loginCode !== null && request.method === 'GET' && !request.isUpgrade && redeemLoginCode(request.loginCode)) {
    return { allowed: true, tokenVia: 'login' };
  }
  const token = checkToken(request, policy.port, policy.token);
  if (!token.ok) {
    const reason =
      request.loginCode !== null
        ? 'this login link was already used or has expired: open the URL Procdeck printed at start'
        : 'a valid access token is required: open the URL Procdeck printed at start';
    return { allowed: false, status: 401, reason };
  }
  if ((request.isUpgrade || !isSafeMethod(request.method)) && !isSameOrigin(request.originHeader, request.hostHeader!)) {
    return { allowed: false, status: 403, reason: 'cross-origin request refused' };
  }
  return { allowed: true, tokenVia: token.via };
}

/** The token of an `Authorization: Bearer <token>` header; undefined for another scheme or none. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
}

/** What the HTTP API's access check looks at. */
export interface ApiRequestFacts {
  hostHeader: string | undefined;
  originHeader: string | undefined;
  authorizationHeader: string | undefined;
  cookieHeader: string | undefined;
  queryToken: string | null;
}

export type ApiAccessDecision = { allowed: true } | { allowed: false; status: 401 | 403 | 421; reason: string };

/**
 * The HTTP API's access policy: Host (DNS rebinding), then Origin, then the token, which is
 * taken from the Authorization header only. A browser attaches cookies to a request another
 * site makes it send, never an Authorization header, so refusing the cookie here is what
 * makes cross-site request forgery impossible; a page of another origin is refused outright
 * (no CORS header is ever sent, so it could not read an answer either).
 */
export function decideApiAccess(request: ApiRequestFacts, policy: AccessPolicy): ApiAccessDecision {
  if (!isAllowedHost(request.hostHeader, policy.allowedHosts, policy.port)) {
    return { allowed: false, status: 421, reason: 'this server does not answer to that Host name' };
  }
  if (request.originHeader !== undefined && !isSameOrigin(request.originHeader, request.hostHeader!)) {
    return { allowed: false, status: 403, reason: 'cross-origin request refused: the API is for scripts, not for pages of other sites' };
  }
  const token = bearerToken(request.authorizationHeader);
  if (token === undefined) {
    const misplaced =
      request.cookieHeader !== undefined && parseCookies(request.cookieHeader).has(tokenCookieName(policy.port))
        ? ' (a cookie is not accepted here)'
        : request.queryToken !== null
          ? ' (a token in the URL is not accepted here)'
          : '';
    return { allowed: false, status: 401, reason: `send the access token as an "Authorization: Bearer <token>" header${misplaced}` };
  }
  if (!tokensEqual(token, policy.token)) return { allowed: false, status: 401, reason: 'wrong access token' };
  return { allowed: true };
}
