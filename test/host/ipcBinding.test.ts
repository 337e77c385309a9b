import { afterAll, describe, expect, it } from 'vitest';
import type { CommandName, CommandResult } from '../../shared/contract';
import { bindIpc, windowViewer, type IpcMainLike } from '../../electron/main/ipcBinding';
import type { IpcEventLike } from '../../electron/main/trustedSender';
import { IPC_CHANNELS } from '../../electron/preload/channels';
import { createCommandHandlers } from '../../electron/host/commandHandlers';
import { createDispatch } from '../../electron/host/dispatch';
import type { EngineMonitorTick } from '../../electron/engine/eventCoalescer';
import { closeEngines, openEngine, waitForState } from '../engine/helpers';

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

/** Just enough of ipcMain: what was registered, and a way to call it. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, listener);
  }
  removeListener(channel: string) {
    this.listeners.delete(channel);
  }
  async invoke(event: IpcEventLike, name: unknown, request: unknown): Promise<CommandResult<CommandName>> {
    return (await this.handlers.get(IPC_CHANNELS.invoke)!(event, name, request)) as CommandResult<CommandName>;
  }
}

const trusted: IpcEventLike = { senderFrame: { url: 'file:///app/index.html', parent: null, processId: 1, routingId: 1 }, sender: { id: 1 } };
const untrusted: IpcEventLike = { senderFrame: null, sender: { id: 1 } };

function setUp() {
  const engine = openEngine();
  const ipcMain = new FakeIpcMain();
  const refused: string[] = [];
  let ready = 0;
  const unbind = bindIpc(ipcMain, {
    dispatch: createDispatch(createCommandHandlers(engine, { host: 'electron', version: 'test' })),
    isTrusted: (event) => event === trusted,
    onRendererReady: () => ready++,
    onRefused: (channel) => refused.push(channel),
  });
  return { engine, ipcMain, refused, unbind, readyCount: () => ready };
}

afterAll(closeEngines);

describe('IPC binding (no Electron binary needed)', () => {
  it('runs a valid command through the shared dispatch', async () => {
    const { engine, ipcMain } = setUp();
    expect(await ipcMain.invoke(trusted, 'engine.info', {})).toMatchObject({ ok: true, value: { host: 'electron', version: 'test' } });
    const started = await ipcMain.invoke(trusted, 'jobs.start', { spec: { command: { kind: 'shell', script: 'echo hi' } } });
    expect(started.ok).toBe(true);
    const job = started.ok && 'job' in started.value ? started.value.job : undefined;
    expect(job).toBeDefined();
    expect(await waitForState(engine, job!.id, 'exited')).toMatchObject({ exitCode: 0 });
  });

  it('answers malformed requests with INVALID_REQUEST and changes nothing', async () => {
    const { engine, ipcMain } = setUp();
    const malformed: [unknown, unknown][] = [
      ['jobs.start', {}],
      ['jobs.start', { spec: { command: { kind: 'shell', script: '   ' } } }],
      ['jobs.start', { spec: { command: { kind: 'argv', program: 'ls', args: 'not-an-array' } } }],
      ['jobs.start', { spec: { command: { kind: 'shell', script: 'true' }, timeoutMs: 'soon' } }],
      ['jobs.kill', { jobId: 42 }],
      ['jobs.writeStdin', { jobId: 'x', data: 'y'.repeat(1024 * 1024 + 1) }],
      ['settings.update', { maxConcurrent: -3 }],
      ['jobs.list', 'not an object'],
    ];
    for (const [name, request] of malformed) {
      const result = await ipcMain.invoke(trusted, name, request);
      expect(result, String(name)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(await ipcMain.invoke(trusted, 'jobs.obliterate', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(await ipcMain.invoke(trusted, { toString: () => 'jobs.list' }, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(engine.jobs.list()).toEqual([]);
  });

  it('refuses untrusted senders before anything runs', async () => {
    const { engine, ipcMain, refused, readyCount } = setUp();
    await expect(ipcMain.invoke(untrusted, 'jobs.start', { spec: { command: { kind: 'shell', script: 'touch /tmp/never' } } })).rejects.toThrow(/untrusted/);
    ipcMain.listeners.get(IPC_CHANNELS.ready)!(untrusted);
    expect(readyCount()).toBe(0);
    expect(refused).toEqual([IPC_CHANNELS.invoke, IPC_CHANNELS.ready]);
    expect(engine.jobs.list()).toEqual([]);

    ipcMain.listeners.get(IPC_CHANNELS.ready)!(trusted);
    expect(readyCount()).toBe(1);
  });

  it('gives each window (IPC sender) its own system view lease', async () => {
    const other: IpcEventLike = { ...trusted, sender: { id: 2 } };
    const engine = openEngine();
    const ipcMain = new FakeIpcMain();
    bindIpc(ipcMain, {
      dispatch: createDispatch(createCommandHandlers(engine, { host: 'electron', version: 'test' })),
      isTrusted: (event) => event === trusted || event === other,
      onRendererReady: () => undefined,
    });
    expect((await ipcMain.invoke(trusted, 'system.view', { visible: true, processes: { sort: 'pid' } })).ok).toBe(true);
    expect((await ipcMain.invoke(other, 'system.view', { visible: true, processes: { sort: 'memory' } })).ok).toBe(true);
    // The next sampling tick lists the processes once per distinct query, each with its viewers.
    const lists = await new Promise<EngineMonitorTick['processLists'] & object>((resolve) =>
      engine.events.on('monitor.tick', (tick) => tick.processLists && resolve(tick.processLists)),
    );
    expect(lists.map((l) => l.viewers).sort()).toEqual([[windowViewer(1)], [windowViewer(2)]]);
    // One window closing its view leaves the other's open.
    expect((await ipcMain.invoke(trusted, 'system.view', { visible: false })).ok).toBe(true);
    expect(engine.monitor.needsTicks()).toBe(true);
    engine.monitor.viewerGone(windowViewer(2));
    expect(engine.monitor.needsTicks()).toBe(false);
  });

  it('unbinds both channels', () => {
    const { ipcMain, unbind } = setUp();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listeners.size).toBe(0);
  });
});
