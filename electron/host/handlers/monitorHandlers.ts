import type { MonitorService } from '../../engine/services/monitorService';
import type { DomainHandlers } from './domainHandlers';

export type MonitorCommand =
  | 'samples.history'
  | 'monitor.tree'
  | 'monitor.history'
  | 'monitor.csv'
  | 'monitor.runMetrics'
  | 'monitor.leaks'
  | 'system.view'
  | 'system.processes'
  | 'system.stats'
  | 'watch.add'
  | 'watch.remove'
  | 'watch.list'
  | 'alerts.setRules'
  | 'alerts.rules'
  | 'alerts.history';

/** samples.history, monitor.*, system.*, watch.* and alerts.*, through engine.monitor. The system view is per viewer: the host connection that asked. */
export function monitorHandlers(monitor: MonitorService): DomainHandlers<MonitorCommand> {
  return {
    'samples.history': ({ jobId }) => ({ points: monitor.samples(jobId) }),
    'monitor.tree': ({ subjectId }) => ({ tree: monitor.tree(subjectId) }),
    'monitor.history': ({ subjectId, range, maxPoints }) => ({ points: monitor.history(subjectId, range, maxPoints) }),
    'monitor.csv': ({ subjectId }) => ({ csv: monitor.csv(subjectId) }),
    'monitor.runMetrics': ({ subjectId }) => ({ metrics: monitor.runMetrics(subjectId) }),
    'monitor.leaks': () => ({ leaks: monitor.leaks() }),
    'system.view': ({ visible, processes }, { viewer }) => {
      monitor.viewSystem(viewer, visible, processes);
      return {};
    },
    'system.processes': (query) => monitor.systemProcesses(query),
    'system.stats': () => monitor.systemStats(),
    'watch.add': (target) => ({ watched: monitor.watch(target) }),
    'watch.remove': ({ id }) => {
      monitor.unwatch(id);
      return {};
    },
    'watch.list': () => ({ watched: monitor.watchedProcesses() }),
    'alerts.setRules': ({ subjectId, rules }) => ({ rules: monitor.setAlertRules(subjectId, rules) }),
    'alerts.rules': ({ subjectId }) => ({ rules: monitor.alertRules(subjectId) }),
    'alerts.history': ({ subjectId, limit }) => ({ alerts: monitor.alertHistory(subjectId, limit) }),
  };
}
