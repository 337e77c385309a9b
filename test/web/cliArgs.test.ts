import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, parseServeArgs } from '../../electron/web/cliArgs';

describe('serve arguments', () => {
  it('defaults to loopback, port 7420 (may fall back), per-user data dir', () => {
    expect(parseServeArgs([], { HOME: '/home/op' })).toEqual({
      kind: 'serve',
      options: { host: '127.0.0.1', port: DEFAULT_PORT, portIsDefault: true, dataDir: expect.stringMatching(/procdeck$/), token: undefined, exposeUnencrypted: false },
    });
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, '/home/op')).toBe('/xdg/procdeck');
    // The XDG spec says a relative value is to be ignored.
    expect(defaultDataDir({ XDG_DATA_HOME: 'rel' }, '/home/op')).toBe('/home/op/.local/share/procdeck');
  });

  it('takes --host, --port and --data-dir', () => {
    const parsed = parseServeArgs(['--host', '::1', '--port', '0', '--data-dir', '/tmp/d'], {});
    expect(parsed).toMatchObject({ kind: 'serve', options: { host: '::1', port: 0, portIsDefault: false, dataDir: '/tmp/d' } });
  });

  it('refuses a non-loopback --host unless told the page goes out unencrypted', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'myserver.example', '10.0.0.1']) {
      const refused = parseServeArgs(['--host', host], {});
      expect(refused, host).toMatchObject({ kind: 'error', message: expect.stringContaining('not a loopback address') });
      expect(refused, host).toMatchObject({ message: expect.stringContaining('--expose-unencrypted') });
      expect(parseServeArgs(['--host', host, '--expose-unencrypted'], {}), host).toMatchObject({ kind: 'serve', options: { host, exposeUnencrypted: true } });
    }
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(parseServeArgs(['--host', host], {}), host).toMatchObject({ kind: 'serve', options: { host } });
    }
  });

  it('takes PROCDECK_TOKEN out of the environment, so no job can inherit it', () => {
    const env: NodeJS.ProcessEnv = { PROCDECK_TOKEN: 'f'.repeat(32), HOME: '/home/op' };
    expect(parseServeArgs([], env)).toMatchObject({ kind: 'serve', options: { token: 'f'.repeat(32) } });
    expect(env).toEqual({ HOME: '/home/op' });
    // Even when the command line is refused, and when the token itself is.
    const refused: NodeJS.ProcessEnv = { PROCDECK_TOKEN: 'short' };
    expect(parseServeArgs([], refused).kind).toBe('error');
    expect('PROCDECK_TOKEN' in refused).toBe(false);
    const bad: NodeJS.ProcessEnv = { PROCDECK_TOKEN: 'f'.repeat(32) };
    expect(parseServeArgs(['--bogus'], bad).kind).toBe('error');
    expect('PROCDECK_TOKEN' in bad).toBe(false);
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
