import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/program';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import { closeEngines, openEngine } from '../engine/helpers';
import type { CliIo } from '../../electron/cli/cliIo';
import { browserUrlFile } from '../../electron/web/browserUrlFile';
import { browserTokenFile } from '../../electron/web/storedToken';
import { WS_CLOSE_TOKEN_CHANGED } from '../../shared/contract';
import { waitFor } from '../support/wait';
import { apiPost, bearer } from './apiHelpers';
import { TestClient } from './helpers';
import { freshDataDir, startHostChild, stopHostChildren, type HostChild } from './hostChild';
import { SseClient } from './sseClient';

afterEach(stopHostChildren);

/** The token in the URL the host wrote down for the operator. */
const urlToken = (host: HostChild) => new URL(readFileSync(browserUrlFile(host.dataDir), 'utf8').trim()).searchParams.get('token')!;
const storedToken = (dataDir: string) => readFileSync(browserTokenFile(dataDir), 'utf8').trim();

/** The CLI in this process, its output kept: as a script or terminal would run `procdeck ARGS…`. */
async function procdeck(args: string[], stdoutIsTerminal = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => ((out += text), true),
    err: (text) => void (err += text),
    drained: () => Promise.resolve(),
    stdoutIsTerminal,
    env: {},
    cwd: process.cwd(),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe("browser mode's access token, kept in the data directory", () => {
  it('is made once (0600), used by the next start, and PROCDECK_TOKEN overrides it for one start without replacing it', async () => {
    const dataDir = freshDataDir();
    const first = await startHostChild({ dataDir });
    const token = storedToken(dataDir);
    expect(statSync(browserTokenFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(urlToken(first)).toBe(token);
    await first.stop();

    const second = await startHostChild({ dataDir });
    expect(urlToken(second)).toBe(token);
    (await TestClient.connect(second.port, { token })).socket.close();
    await second.stop();

    const overridden = await startHostChild({ dataDir, token: 'given0123456789abcdef' });
    expect(urlToken(overridden)).toBe('given0123456789abcdef');
    expect(storedToken(dataDir)).toBe(token);
    await overridden.stop();

    expect(urlToken(await startHostChild({ dataDir }))).toBe(token);
  });

  it('is not used again once other users could read it: a new one is made and the operator is told', async () => {
    const dataDir = freshDataDir();
    await (await startHostChild({ dataDir })).stop();
    const exposed = storedToken(dataDir);
    chmodSync(browserTokenFile(dataDir), 0o644);
    const host = await startHostChild({ dataDir });
    expect(host.stderr()).toContain(`the stored access token (${browserTokenFile(dataDir)}) was not used: other users could read it (mode 0644); a new one was made`);
    expect(urlToken(host)).not.toBe(exposed);
    expect(storedToken(dataDir)).toBe(urlToken(host));
    expect(statSync(browserTokenFile(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('is not used when it is no token at all (a hand-edited file): a new one replaces it', async () => {
    const dataDir = freshDataDir();
    writeFileSync(browserTokenFile(dataDir), 'short\n', { mode: 0o600 });
    const host = await startHostChild({ dataDir });
    expect(host.stderr()).toContain('was not used: it does not hold a valid token');
    expect(urlToken(host)).not.toBe('short');
  });
});

describe('procdeck token rotate', () => {
  it('makes a new token for this start and the next, and disconnects every tab and event stream that held the old one', async () => {
    const host = await startHostChild();
    const old = urlToken(host);
    const tab = await TestClient.connect(host.port, { token: old });
    const tabClosed = new Promise<{ code: number; reason: string }>((resolve) => tab.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const stream = await SseClient.open(host.port, '', bearer(old));

    const rotated = await procdeck(['--data-dir', host.dataDir, 'token', 'rotate']);
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toContain(`New access token. The URL with the new token is in ${browserUrlFile(host.dataDir)}, readable only by you.`);
    const fresh = urlToken(host);
    expect(fresh).not.toBe(old);
    expect(rotated.out).not.toContain(fresh);
    expect(storedToken(host.dataDir)).toBe(fresh);

    expect(await tabClosed).toEqual({ code: WS_CLOSE_TOKEN_CHANGED, reason: 'the access token was changed' });
    await waitFor(() => stream.closed, 'the event stream to end');
    expect(stream.comments.some((comment) => comment.includes('the access token was changed'))).toBe(true);
    expect((await apiPost(host.port, 'jobs.list', {}, bearer(old))).status).toBe(401);
    await expect(TestClient.connect(host.port, { token: old })).rejects.toThrow(/401/);
    expect((await apiPost(host.port, 'jobs.list', {}, bearer(fresh))).status).toBe(200);
    (await TestClient.connect(host.port, { token: fresh })).socket.close();

    await host.stop();
    expect(urlToken(await startHostChild({ dataDir: host.dataDir }))).toBe(fresh);
  });

  it('prints the new URL to a terminal only', async () => {
    const host = await startHostChild();
    const rotated = await procdeck(['--data-dir', host.dataDir, 'token', 'rotate'], true);
    expect(rotated.out).toContain(`New access token. Procdeck is now at ${host.origin}/?token=${urlToken(host)}`);
  });

  it('is refused by a host without a token (the desktop app), naming why', async () => {
    const dispatch = createDispatch(createCommandHandlers(openEngine(), { host: 'electron', version: 'test' }));
    const answer = await dispatch('access.rotateToken', {});
    expect(answer).toEqual({ ok: false, error: { code: 'UNSUPPORTED', message: 'only browser mode has an access token to rotate; the desktop app needs none' } });
    await closeEngines();
  });
});
