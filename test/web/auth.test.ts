import { describe, expect, it } from 'vitest';
import {
  allowedHostNames,
  checkToken,
  decideAccess,
  generateToken,
  isAllowedHost,
  isSameOrigin,
  parseCookies,
  tokenCookieName,
  tokensEqual,
  type RequestFacts,
} from '../../electron/web/auth';

const TOKEN = 'a'.repeat(32);
const policy = { token: TOKEN, port: 7420, allowedHosts: allowedHostNames('127.0.0.1') };
const facts = (overrides: Partial<RequestFacts>): RequestFacts => ({
  method: 'GET',
  hostHeader: '127.0.0.1:7420',
  originHeader: undefined,
  queryToken: TOKEN,
  cookieHeader: undefined,
  loginCode: null,
  isUpgrade: false,
  ...overrides,
});

describe('tokens', () => {
  it('are 128 random bits in hex', () => {
    const token = generateToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(generateToken()).not.toBe(token);
  });

  it('compare equal only when identical, whatever the lengths', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN.slice(1), TOKEN)).toBe(false);
    expect(tokensEqual(`${TOKEN}a`, TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    expect(tokensEqual('b'.repeat(32), TOKEN)).toBe(false);
  });

  it('are found in the query or in the cookie named after the port', () => {
    expect(checkToken({ queryToken: TOKEN, cookieHeader: undefined }, 7420, TOKEN)).toEqual({ ok: true, via: 'query' });
    const cookie = `other=1; ${tokenCookieName(7420)}=${TOKEN}`;
    expect(checkToken({ queryToken: null, cookieHeader: cookie }, 7420, TOKEN)).toEqual({ ok: true, via: 'cookie' });
    // The cookie of a host on another port does not open this one.
    expect(checkToken({ queryToken: null, cookieHeader: `${tokenCookieName(7421)}=${TOKEN}` }, 7420, TOKEN)).toEqual({ ok: false });
    expect(checkToken({ queryToken: 'wrong', cookieHeader: undefined }, 7420, TOKEN)).toEqual({ ok: false });
  });

  it('parses cookie headers leniently', () => {
    expect(parseCookies(' a=1 ;b=x=y; junk; =v')).toEqual(new Map([['a', '1'], ['b', 'x=y']]));
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('Host header (DNS rebinding)', () => {
  const names = allowedHostNames('127.0.0.1');

  it('accepts the bound address and loopback names with our port', () => {
    for (const host of ['127.0.0.1:7420', 'localhost:7420', 'LOCALHOST:7420', '[::1]:7420']) expect(isAllowedHost(host, names, 7420)).toBe(true);
  });

  it('refuses other names, other ports, and malformed headers', () => {
    for (const host of ['evil.example:7420', '127.0.0.1:7421', '127.0.0.1', 'localhost', '127.0.0.1:7420:1', 'a@127.0.0.1:7420', '', undefined]) {
      expect(isAllowedHost(host, names, 7420)).toBe(false);
    }
  });

  it('knows IPv6 binds and the machine names of a wildcard bind', () => {
    expect(isAllowedHost('[::1]:80', allowedHostNames('::1'), 80)).toBe(true);
    const wildcard = allowedHostNames('0.0.0.0', ['myhost', '192.168.1.5', 'fe80::1']);
    expect(isAllowedHost('myhost:80', wildcard, 80)).toBe(true);
    expect(isAllowedHost('192.168.1.5:80', wildcard, 80)).toBe(true);
    expect(isAllowedHost('[fe80::1]:80', wildcard, 80)).toBe(true);
    expect(isAllowedHost('0.0.0.0:80', wildcard, 80)).toBe(false);
    expect(isAllowedHost('attacker.example:80', wildcard, 80)).toBe(false);
  });
});

describe('Origin', () => {
  it('must match our own origin exactly', () => {
    expect(isSameOrigin('http://127.0.0.1:7420', '127.0.0.1:7420')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:7420/', '127.0.0.1:7420')).toBe(false);
    expect(isSameOrigin('https://127.0.0.1:7420', '127.0.0.1:7420')).toBe(false);
    expect(isSameOrigin('http://localhost:7420', '127.0.0.1:7420')).toBe(false);
    expect(isSameOrigin('null', '127.0.0.1:7420')).toBe(false);
    expect(isSameOrigin(undefined, '127.0.0.1:7420')).toBe(false);
  });
});

describe('decideAccess', () => {
  it('lets a page load with the token through', () => {
    expect(decideAccess(facts({}), policy)).toEqual({ allowed: true, tokenVia: 'query' });
  });

  it('checks Host before the token, and the token before Origin', () => {
    expect(decideAccess(facts({ hostHeader: 'evil:7420', queryToken: null }), policy)).toMatchObject({ allowed: false, status: 421 });
    expect(decideAccess(facts({ queryToken: null, isUpgrade: true }), policy)).toMatchObject({ allowed: false, status: 401 });
    expect(decideAccess(facts({ isUpgrade: true, originHeader: 'http://evil' }), policy)).toMatchObject({ allowed: false, status: 403 });
  });

  it('requires our Origin on upgrades and state-changing methods, not on GET', () => {
    expect(decideAccess(facts({ isUpgrade: true }), policy)).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess(facts({ isUpgrade: true, originHeader: 'http://127.0.0.1:7420' }), policy)).toMatchObject({ allowed: true });
    expect(decideAccess(facts({ method: 'POST', originHeader: 'http://evil' }), policy)).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess(facts({ method: 'POST', originHeader: 'http://127.0.0.1:7420' }), policy)).toMatchObject({ allowed: true });
  });

  it('takes a login code only on a page load, after the Host check, and only if it redeems', () => {
    const redeemed: string[] = [];
    const redeem = (code: string) => (redeemed.push(code), code === 'good');
    const login = (overrides: Partial<RequestFacts>) => facts({ queryToken: null, loginCode: 'good', ...overrides });
    expect(decideAccess(login({}), policy, redeem)).toEqual({ allowed: true, tokenVia: 'login' });
    expect(decideAccess(login({ loginCode: 'bad' }), policy, redeem)).toMatchObject({ allowed: false, status: 401, reason: expect.stringContaining('login link') });
    // A foreign Host, an upgrade or a non-GET never gets to use a code up.
    expect(decideAccess(login({ hostHeader: 'evil:7420' }), policy, redeem)).toMatchObject({ allowed: false, status: 421 });
    expect(decideAccess(login({ isUpgrade: true, originHeader: 'http://127.0.0.1:7420' }), policy, redeem)).toMatchObject({ allowed: false, status: 401 });
    expect(decideAccess(login({ method: 'HEAD' }), policy, redeem)).toMatchObject({ allowed: false, status: 401 });
    expect(redeemed).toEqual(['good', 'bad']);
    // A used code next to a valid cookie still gets in (the page then redirects the code away).
    expect(decideAccess(login({ loginCode: 'bad', cookieHeader: `${tokenCookieName(7420)}=${TOKEN}` }), policy, redeem)).toEqual({ allowed: true, tokenVia: 'cookie' });
  });
});
