import type { Engine } from '../engine/engine';
import { createDispatch, type CommandHandlers } from '../host/dispatch';
import { ProcdeckMetrics } from '../host/metrics/procdeckMetrics';
import { MetricsPortSetting, withMetricsPortSetting } from './metricsPortSetting';

export interface HostMetrics {
  readonly metrics: ProcdeckMetrics;
  readonly port: MetricsPortSetting;
  /** The host's handlers, with settings.update opening and closing the metrics port. */
  readonly handlers: CommandHandlers;
  /** Opens the metrics port the saved settings name (a failure is kept in port.problem). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What both hosts add for Prometheus: the metrics (read through the contract's own
 * commands and events) and the loopback metrics port of the settings.
 */
export function createHostMetrics(engine: Engine, handlers: CommandHandlers): HostMetrics {
  const metrics = new ProcdeckMetrics({ dispatch: createDispatch(handlers), events: engine.events });
  const port = new MetricsPortSetting(metrics, () => engine.settings.get().metricsPort);
  return {
    metrics,
    port,
    handlers: withMetricsPortSetting(handlers, port),
    start: () => port.open(engine.settings.get().metricsPort),
    async close() {
      metrics.dispose();
      await port.close();
    },
  };
}
