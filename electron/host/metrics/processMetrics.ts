import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * Procdeck's own CPU, memory, file descriptors and event loop (prom-client's default
 * metrics, under their standard names). One registry per process, whatever the number of
 * hosts in it: the figures are the process's, and the collectors install observers for good.
 */
export function processMetricsRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
