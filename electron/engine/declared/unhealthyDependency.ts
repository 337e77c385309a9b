import type { Job } from '../jobs/job';
import type { DeclaredService } from './declaredService';

export interface UnhealthyDependencyContext {
  /** The run is stopped so that the job is queued again once it has ended (Scheduler.restartWhenEnded). */
  restartWhenEnded(job: Job): void;
  notice(level: 'info' | 'warning', message: string): void;
}

/**
 * A declared service turned unhealthy: its running dependants that wait for it to be healthy
 * hear of it. One with `onUnhealthy: stop` is stopped (its normal stop, the cause `dependency`)
 * and queued again once its run has ended: the scheduler holds it there, with the dependency
 * wait it shows for any dependant ("waiting for db to be healthy"), and starts it once the
 * dependency is healthy again; its restart policy has no say. The others (`tell`) get a line in
 * their log and keep running. One notice says what was stopped and what keeps running.
 */
export function dependencyTurnedUnhealthy(dependency: Job, reason: string, services: Iterable<DeclaredService>, ctx: UnhealthyDependencyContext): void {
  const dependants = [...services].filter((s) => s.conditions.get(dependency.id) === 'healthy' && isRunning(s.job));
  if (dependants.length === 0) return;
  const stopped = dependants.filter((s) => s.stopsWhenUnhealthy.has(dependency.id));
  const told = dependants.filter((s) => !s.stopsWhenUnhealthy.has(dependency.id));
  for (const dependant of stopped) stopForDependency(dependant.job, dependency, reason, ctx);
  for (const dependant of told) dependant.job.liveRun()!.log.note(`dependency ${dependency.name} is unhealthy: ${reason}`);
  const said: string[] = [];
  if (stopped.length) said.push(`${names(stopped)} stopped until it is healthy again (onUnhealthy: stop)`);
  if (told.length) said.push(`${names(told)} depend${told.length === 1 ? 's' : ''} on it and keep${told.length === 1 ? 's' : ''} running`);
  ctx.notice('warning', `${dependency.name} is unhealthy (${reason}); ${said.join('; ')}`);
}

/** Live and not being stopped already (an operator's stop or a restart under way says what comes next). */
const isRunning = (job: Job): boolean => {
  const live = job.liveRun();
  return live !== undefined && live.state !== 'stopping';
};

const names = (services: readonly DeclaredService[]): string => services.map((s) => s.job.name).join(', ');

function stopForDependency(job: Job, dependency: Job, reason: string, ctx: UnhealthyDependencyContext): void {
  const live = job.liveRun()!;
  const why = `dependency ${dependency.name} became unhealthy (${reason})`;
  job.restarts = { ...job.restarts, automatic: job.restarts.automatic + 1, lastReason: why };
  live.log.note(`stopping: ${why}; it starts again once ${dependency.name} is healthy`);
  ctx.restartWhenEnded(job);
  live.stop('dependency', `stopped: ${why}`);
}
