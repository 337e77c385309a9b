import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, parseServeArgs } from '../../electron/web/cliArgs';

describe('serve arguments', () => {
  it('defaults to loopback, port 7420 (may fall back), per-user data dir', () => {
    expect(parseServeArgs([], { HOME: '/home/op' })).toEqual({
      kind: 'serve',
      options: { host: '127.0.0.1', port: DEFAULT_PORT, portIsDefault: true, dataDir: expect.stringMatching(/procdeck$/), token: undefined },
    });
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, '/home/op')).toBe('/xdg/procdeck');
    // The XDG spec says a relative value is to be ignored.
    expect(defaultDataDir({ XDG_DATA_HOME: 'rel' }, '/home/op')).toBe('/home/op/.local/share/procdeck');
  });

  it('takes --host, --port and --data-dir', () => {
    const parsed = parseServeArgs(['--host', '0.0.0.0', '--port', '0', '--data-dir', '/tmp/d'], {});
    expect(parsed).toMatchObject({ kind: 'serve', options: { host: '0.0.0.0', port: 0, portIsDefault: false, dataDir: '/tmp/d' } });
  });

  it('refuses bad ports, unknown flags and weak tokens with a message', () => {
    for (const args of [['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--port', '1.5'], ['--bogus'], ['stray']]) {
      expect(parseServeArgs(args, {}).kind).toBe('error');
    }
    expect(parseServeArgs([], { PROCDECK_TOKEN: 'short' })).toMatchObject({ kind: 'error', message: expect.stringContaining('16') });
    expect(parseServeArgs([], { PROCDECK_TOKEN: 'has spaces in it, sixteen+' })).toMatchObject({ kind: 'error' });
    expect(parseServeArgs([], { PROCDECK_TOKEN: 'f'.repeat(32) })).toMatchObject({ kind: 'serve', options: { token: 'f'.repeat(32) } });
    expect(parseServeArgs(['--help'], {})).toEqual({ kind: 'help' });
  });
});
