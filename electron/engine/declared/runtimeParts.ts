import type { DeclaredJob } from '../../../shared/config/declaredJob';
import type { Probe } from '../../../shared/probes';
import { normalizeProbe } from '../health/normalizeProbe';
import type { ProbeDefinition, ProbeInput } from '../health/probeSpec';
import { parseSchedule } from '../schedule/parseSchedule';
import type { ScheduleDefinition } from '../schedule/scheduleSpec';
import { parseWatch } from '../watch/watchSpec';
import type { WatchDefinition } from '../watch/watchSpec';

/** A declared job's probes, schedule and watch as the engine's runners take them (checked once more on the way). */
export interface RuntimeParts {
  readiness?: ProbeDefinition;
  liveness?: ProbeDefinition;
  schedule?: ScheduleDefinition;
  watch?: WatchDefinition;
}

export function runtimeParts(job: DeclaredJob): RuntimeParts {
  const field = (key: string) => `jobs.${job.name}.${key}`;
  return {
    ...(job.readiness && { readiness: normalizeProbe(toProbeInput(job.readiness), field('readiness')) }),
    ...(job.liveness && { liveness: normalizeProbe(toProbeInput(job.liveness), field('liveness')) }),
    ...(job.schedule && { schedule: parseSchedule(job.schedule, field('schedule')) }),
    ...(job.watch && {
      watch: parseWatch({ paths: job.watch.paths, baseDir: job.spec.cwd ?? '/', debounceMs: job.watch.debounceMs, ignore: job.watch.ignore }, field('watch')),
    }),
  };
}

function toProbeInput(probe: Probe): ProbeInput {
  const timing = {
    initialDelayMs: probe.initialDelayMs,
    intervalMs: probe.intervalMs,
    timeoutMs: probe.timeoutMs,
    successThreshold: probe.successThreshold,
    failureThreshold: probe.failureThreshold,
  };
  const check = probe.check;
  switch (check.kind) {
    case 'http':
      return { kind: 'http', url: check.url, status: check.status, ...(check.bodyMatch !== undefined && { body: { regex: check.bodyMatch } }), ...timing };
    case 'tcp':
      return { kind: 'tcp', target: check.host.includes(':') ? `[${check.host}]:${check.port}` : `${check.host}:${check.port}`, ...timing };
    case 'exec':
      return { kind: 'exec', command: check.command.kind === 'shell' ? check.command.script : [check.command.program, ...check.command.args], ...timing };
    case 'log':
      return { kind: 'log', regex: check.pattern, ...timing };
  }
}
