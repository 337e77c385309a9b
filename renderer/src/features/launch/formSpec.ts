import type { IsolationLevel } from '../../../../shared/isolation';
import type { JobSpecInput } from '../../../../shared/jobSpec';
import type { AlertRule } from '../../../../shared/monitoring';
import { EMPTY_ISOLATION, isolationSpecPart, type IsolationErrors, type IsolationValues } from '../isolation/isolationForm';
import { buildSpec, EMPTY_LAUNCH, type LaunchErrors, type LaunchValues } from './launchSpec';
import { buildScheduling, EMPTY_SCHEDULING, type SchedulingValues } from './schedulingSpec';
import { buildWhere, EMPTY_WHERE, type WhereValues } from './whereSpec';

/** Everything the launch form holds, section by section. */
export interface LaunchFormValues {
  launch: LaunchValues;
  scheduling: SchedulingValues;
  where: WhereValues;
  isolation: IsolationValues;
  alerts: AlertRule[];
}

/** The form as it opens: a new job. */
export const EMPTY_FORM: LaunchFormValues = { launch: EMPTY_LAUNCH, scheduling: EMPTY_SCHEDULING, where: EMPTY_WHERE, isolation: EMPTY_ISOLATION, alerts: [] };

/**
 * The job spec the whole form describes: each section's own builder, put together as Start
 * sends it. On the cluster its own limits apply: this machine's isolation is not sent.
 */
export function specFromForm(
  form: LaunchFormValues,
  defaultLevel: IsolationLevel,
): { spec: JobSpecInput } | { errors: LaunchErrors; isolationErrors: IsolationErrors } {
  const built = buildSpec(form.launch);
  const scheduling = buildScheduling(form.scheduling);
  const isolated = form.where.kind === 'slurm' ? { spec: {} } : isolationSpecPart(form.isolation, defaultLevel);
  const placed = buildWhere(form.where);
  if ('errors' in built || 'errors' in scheduling || 'errors' in isolated || 'error' in placed) {
    return {
      errors: { ...('errors' in built ? built.errors : {}), ...('errors' in scheduling ? scheduling.errors : {}), ...('error' in placed && { where: placed.error }) },
      isolationErrors: 'errors' in isolated ? isolated.errors : {},
    };
  }
  return { spec: { ...built.spec, ...scheduling.spec, ...isolated.spec, alerts: form.alerts, ...(placed.where && { where: placed.where }) } };
}
