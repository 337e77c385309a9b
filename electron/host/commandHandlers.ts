import type { Engine } from '../engine/engine';
import type { CommandHandlers } from './dispatch';
import { describeIsolation, describeMachine } from '../engine/isolation/describeIsolation';
import { reniceOnRequest, setAffinityOnRequest, signalOnRequest } from '../engine/monitor/processActions';
import { checkJobHandler } from './handlers/jobsCheck';

export interface HostInfo {
  host: 'electron' | 'browser';
  version: string;
}

/** Maps each contract command onto the engine. Requests arrive already parsed by dispatch. */
export function createCommandHandlers(engine: Engine, hostInfo: HostInfo): CommandHandlers {
  return {
    'engine.info': () => ({ ...engine.info(), ...hostInfo }),
    'jobs.list': () => ({ jobs: engine.list(), queue: engine.queueOrder() }),
    'jobs.start': ({ spec }) => ({ job: engine.start(spec) }),
    'jobs.check': checkJobHandler(engine),
    'jobs.stop': ({ jobId }) => ({ job: engine.stop(jobId) }),
    'jobs.kill': ({ jobId }) => ({ job: engine.kill(jobId) }),
    'jobs.signal': ({ jobId, signal }) => ({ job: engine.signal(jobId, signal) }),
    'jobs.pause': ({ jobId }) => ({ job: engine.pause(jobId) }),
    'jobs.resume': ({ jobId }) => ({ job: engine.resume(jobId) }),
    'jobs.restart': ({ jobId }) => ({ job: engine.restart(jobId) }),
    'jobs.remove': ({ jobId }) => {
      engine.remove(jobId);
      return {};
    },
    'jobs.writeStdin': ({ jobId, data }) => ({ job: engine.writeStdin(jobId, data) }),
    'jobs.closeStdin': ({ jobId }) => ({ job: engine.closeStdin(jobId) }),
    'jobs.setAffinity': async ({ jobId, cores }) => ({ job: await engine.setAffinity(jobId, cores) }),
    'jobs.renice': async ({ jobId, nice }) => ({ job: await engine.renice(jobId, nice) }),
    'groups.list': () => ({ groups: engine.groups() }),
    'groups.update': ({ name, ...change }) => ({ groups: engine.updateGroup(name, change) }),
    'batches.submit': async (request) => ({ batch: await engine.submitBatch(request) }),
    'batches.list': () => ({ batches: engine.listBatches() }),
    'batches.stop': ({ batchId }) => ({ batch: engine.stopBatch(batchId) }),
    'batches.retryFailed': ({ batchId }) => ({ batch: engine.retryFailed(batchId) }),
    'logs.tail': ({ jobId }) => engine.tail(jobId),
    'samples.history': ({ jobId }) => ({ points: engine.sampleHistory(jobId) }),
    'monitor.tree': ({ subjectId }) => ({ tree: engine.monitor.get().treeDetail(subjectId) ?? null }),
    'monitor.history': ({ subjectId, range, maxPoints }) => ({ points: engine.monitor.history(subjectId, range, maxPoints) }),
    'monitor.csv': ({ subjectId }) => ({ csv: engine.monitor.csv(subjectId) }),
    'monitor.runMetrics': ({ subjectId }) => ({ metrics: engine.monitor.runMetrics(subjectId) }),
    'system.view': ({ visible, processes }, { viewer }) => {
      engine.monitor.viewSystem(viewer, visible, processes);
      return {};
    },
    'system.processes': (query) => engine.monitor.get().systemProcesses(query),
    'system.stats': () => engine.monitor.get().systemStats(),
    'processes.signal': (request) => signalOnRequest(request),
    'processes.renice': (request) => reniceOnRequest(request),
    'processes.setAffinity': (request) => setAffinityOnRequest(request),
    'watch.add': (target) => ({ watched: engine.monitor.get().watch(target) }),
    'watch.remove': ({ id }) => {
      engine.monitor.get().unwatch(id);
      return {};
    },
    'watch.list': () => ({ watched: engine.monitor.get().watchedProcesses() }),
    'alerts.setRules': ({ subjectId, rules }) => ({ rules: engine.setAlertRules(subjectId, rules) }),
    'alerts.rules': ({ subjectId }) => ({ rules: engine.monitor.get().alertRules(subjectId) }),
    'monitor.leaks': () => ({ leaks: engine.monitor.get().leaks() }),
    'alerts.history': ({ subjectId, limit }) => ({ alerts: engine.monitor.get().alertHistory(subjectId, limit) }),
    'isolation.describe': ({ isolation, runAs }) => ({ report: describeIsolation(isolation, runAs), machine: describeMachine() }),
    'settings.get': () => engine.settings,
    'settings.update': (patch) => engine.updateSettings(patch),
  };
}
