import type { FiredAlert } from '../../../shared/monitoring';
import type { Job } from '../jobs/job';

export interface AlertActionContext {
  notice(message: string): void;
  stopWatched(subjectId: string): void;
  restartWhenEnded(job: Job): void;
}

/** An alert fired: always tell the operator, then stop or restart what it names. */
export function actOnAlert(alert: FiredAlert, job: Job | undefined, ctx: AlertActionContext): void {
  const done = alert.action === 'notify' ? '' : alert.action === 'stop' ? '; stopping it' : '; restarting it';
  // The banner names what it is about (the message does once the monitor knew the name).
  const named = alert.subjectName === undefined && job ? `${job.name}: ${alert.message}` : alert.message;
  ctx.notice(`Alert: ${named}${done}`);
  if (alert.action === 'notify') return;
  if (!job) {
    if (alert.action === 'stop') ctx.stopWatched(alert.subjectId);
    return;
  }
  const run = job.liveRun();
  if (!run || run.state === 'stopping') return;
  run.log.note(`alert: ${alert.message}${done}`);
  if (alert.action === 'restart') {
    job.restarts = { ...job.restarts, automatic: job.restarts.automatic + 1, lastReason: `alert: ${alert.message}` };
    ctx.restartWhenEnded(job);
  }
  run.stop('alert', `alert: ${alert.message}`);
}
