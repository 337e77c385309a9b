import type { CommandHandlers } from '../host/dispatch';
import type { MetricsSource } from '../host/metrics/procdeckMetrics';
import { listenForMetrics, METRICS_HOST, type MetricsListener } from './metricsPort';

/**
 * Keeps the metrics port (settings.metricsPort) open as the settings say. A change is
 * applied as one step: the new port is opened before the settings are saved, so a port that
 * cannot be opened is refused with the settings untouched, and one the engine refuses to
 * save is closed again; only then is the old port closed.
 */
export class MetricsPortSetting {
  private listener?: MetricsListener;
  private openedPort: number | null = null;
  private changing: Promise<unknown> = Promise.resolve();
  /** Why the port in the saved settings could not be opened at start, for the operator. */
  problem?: string;

  constructor(
    private readonly source: MetricsSource,
    /** The port in the saved settings. */
    private readonly savedPort: () => number | null,
  ) {}

  get port(): number | null {
    return this.openedPort;
  }

  /** At start: a port that cannot be opened is reported, not fatal (the rest of Procdeck works without it). */
  async open(port: number | null): Promise<void> {
    if (port === null) return;
    try {
      this.listener = await listenForMetrics(this.source, port);
      this.openedPort = port;
      this.problem = undefined;
    } catch (error) {
      this.problem = `${(error as Error).message}: no metrics port is open; choose another in Settings (or scrape /metrics with the token)`;
    }
  }

  /** Runs `save` (the engine's settings.update) with the port `wanted` open, or fails with nothing changed. One change at a time. */
  change<T>(wanted: number | null | undefined, save: () => T | Promise<T>): Promise<T> {
    const run = this.changing.then(() => this.changeNow(wanted, save));
    this.changing = run.catch(() => undefined);
    return run;
  }

  private async changeNow<T>(wanted: number | null | undefined, save: () => T | Promise<T>): Promise<T> {
    if (wanted === undefined || wanted === this.openedPort) return save();
    if (wanted === this.savedPort()) {
      // The saved port could not be opened at start: try again, without refusing the rest of the change over it.
      const saved = await save();
      await this.open(wanted);
      return saved;
    }
    const next = wanted === null ? undefined : await listenForMetrics(this.source, wanted, METRICS_HOST);
    let saved: T;
    try {
      saved = await save();
    } catch (error) {
      await next?.close();
      throw error;
    }
    const previous = this.listener;
    this.listener = next;
    this.openedPort = wanted;
    this.problem = undefined;
    await previous?.close();
    return saved;
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.openedPort = null;
    await listener?.close();
  }
}

/** The host's handlers with settings.update going through the metrics port's setting. */
export function withMetricsPortSetting(handlers: CommandHandlers, setting: MetricsPortSetting): CommandHandlers {
  const update = handlers['settings.update'];
  return { ...handlers, 'settings.update': (patch, context) => setting.change(patch.metricsPort, () => update(patch, context)) };
}
