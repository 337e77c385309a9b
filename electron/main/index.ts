import { configArgument } from '../host/configArgument';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, session, type BrowserWindow } from 'electron';
import { isActive } from '../../shared/jobState';
import { Engine } from '../engine/engine';
import { createCommandHandlers } from '../host/commandHandlers';
import { resolveDataDir } from '../host/dataDir';
import { createDispatch } from '../host/dispatch';
import { contentSecurityPolicy } from '../host/contentSecurityPolicy';
import { forwardEngineEvents } from '../host/engineEventForwarding';
import { installFaultGuard } from '../host/faultGuard';
import { welcomeEvents } from '../host/welcomeEvents';
import { createHostMetrics } from '../web/hostMetrics';
import { SHUTDOWN_SIGNALS } from '../web/shutdownSignals';
import { openEngineEndpoint } from '../host/localEndpoint/engineEndpoint';
import { hardenAllWebContents, hardenSession } from './hardening';
import { bindIpc, windowViewer } from './ipcBinding';
import { createMainWindow, loadRenderer } from './mainWindow';
import { QuitFlow } from './quitFlow';
import { RendererEventPusher } from './rendererEventPusher';
import { isRendererUrl, rendererLocation } from './rendererLocation';
import { isTrustedSender } from './trustedSender';

// Built layout: dist/electron/main/index.js, dist/electron/preload/index.cjs, dist/renderer/.
const builtFile = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const PRELOAD = builtFile('../preload/index.cjs');
const INDEX_HTML = builtFile('../../renderer/index.html');
const ICON = builtFile('../../../resources/icon.png');

const location = rendererLocation(INDEX_HTML, app.isPackaged ? undefined : process.env.PROCDECK_DEV_SERVER_URL);
const log = (message: string) => console.warn(`procdeck: ${message}`);

// Before anything else: every renderer sandboxed, every webContents locked down.
app.enableSandbox();
hardenAllWebContents(app, (what) => log(`blocked ${what}`));

if (!app.requestSingleInstanceLock()) {
  // A second instance would open a second engine on the same data directory.
  app.quit();
} else {
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Procdeck could not start', String(error));
    app.exit(1);
  });
}

function start(): void {
  hardenSession(session.defaultSession, contentSecurityPolicy());
  // The browser host's data directory (and the CLI's): one engine per data directory, whichever host runs it.
  const dataDir = resolveDataDir(undefined);
  const engine = Engine.open({ dataDir, defaultCwd: app.getPath('home') });
  let config: string | undefined;
  try {
    config = configArgument(process.argv.slice(1));
  } catch (error) {
    log((error as Error).message);
  }
  if (config !== undefined) void engine.loadConfigAtStart(config).then((warnings) => warnings.forEach(log), (error: unknown) => log((error as Error).message));
  // The loopback metrics port of the settings (no token; GET /metrics only) serves the desktop app too.
  const hostMetrics = createHostMetrics(engine, createCommandHandlers(engine, { host: 'electron', version: app.getVersion() }));
  const metricsOpened = hostMetrics.start().then(() => hostMetrics.port.problem && log(hostMetrics.port.problem));
  // One dispatch for the window and the CLI's socket: a settings change from either opens or closes the metrics port.
  const dispatch = createDispatch(hostMetrics.handlers);
  const endpoint = openEngineEndpoint(engine, { dataDir, host: 'electron', version: app.getVersion(), dispatch, warn: (line) => console.warn(line) });
  const window = createMainWindow(PRELOAD, existsSync(ICON) ? ICON : undefined);
  const contents = window.webContents;

  const pusher = new RendererEventPusher(contents, () => welcomeEvents(engine, hostMetrics.port.problem ? [hostMetrics.port.problem] : []));
  const viewer = windowViewer(contents.id);
  // system.tick goes to the window only while it shows the machine (its system view is open).
  const stopForwarding = forwardEngineEvents(engine.events, (name, payload, forViewer, whole, audience) => {
    if (!audience || audience(viewer)) pusher.push(name, forViewer?.(viewer) ?? payload, whole);
  });
  // A reloaded or crashed page starts over: its system view is opened again by the new page if shown.
  const rendererGone = () => {
    pusher.rendererGone();
    engine.monitor.viewerGone(viewer);
  };
  contents.on('did-navigate', rendererGone);
  contents.on('render-process-gone', rendererGone);

  const unbind = bindIpc(ipcMain, {
    dispatch,
    isTrusted: (event) =>
      isTrustedSender(event, {
        webContentsId: contents.id,
        mainFrame: () => (window.isDestroyed() ? undefined : contents.mainFrame),
        isRendererUrl: (url) => isRendererUrl(location, url),
      }),
    onRendererReady: () => pusher.rendererReady(),
    onRefused: (channel, event) => log(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`),
  });

  const quitFlow = new QuitFlow({
    activeJobCount: () => engine.jobs.list().filter((job) => job.state === 'queued' || isActive(job.state)).length,
    confirmStop: (count) => confirmStop(window, count),
    shutdown: async () => {
      // The socket first, while the data directory's lock is still ours; its clients see the jobs stop.
      const cli = await endpoint;
      cli?.stopListening();
      await metricsOpened;
      await hostMetrics.close();
      await engine.shutdown();
      await cli?.close();
      stopForwarding();
      unbind();
    },
    quit: () => app.quit(),
    onError: (error) => log(`while quitting: ${String(error)}`),
  });
  // What escapes a handler is logged and ridden out; a storm of faults quits, jobs stopped first.
  installFaultGuard({ shutdown: () => quitFlow.stopWithoutAsking(), exit: (code) => app.exit(code) });
  window.on('close', (event) => quitFlow.intercept(event));
  app.on('before-quit', (event) => quitFlow.intercept(event));
  app.on('window-all-closed', () => app.quit());
  // SIGHUP: the terminal it was started from went away; its default would end us with the jobs left running.
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void quitFlow.stopWithoutAsking());

  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  loadRenderer(window, location).catch((error: unknown) => log(`could not load the window: ${String(error)}`));
}

async function confirmStop(window: BrowserWindow, count: number): Promise<boolean> {
  const options = {
    type: 'warning' as const,
    title: 'Quit Procdeck?',
    message: count === 1 ? 'A job is still running.' : `${count} jobs are still running or queued.`,
    detail: "Quitting stops them all: SIGTERM to each job's process group, then SIGKILL after its grace period.",
    buttons: ['Stop jobs and quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const { response } = window.isDestroyed() ? await dialog.showMessageBox(options) : await dialog.showMessageBox(window, options);
  return response === 0;
}
