import type { CommandPolicy, IsolationLevel, IsolationSpec, RunAs } from '../../../shared/isolation';
import type { JobSpec } from '../../../shared/jobSpec';
import type { LaunchPlan } from '../supervisor/launchPlan';
import type { Capabilities } from './capabilities';
import { prepareIsolation, type Preparation } from './prepareIsolation';

/** The parts of a job spec isolation reads (isolation and runAs once jobSpec carries them). */
export type IsolatedSpec = Pick<JobSpec, 'command' | 'env' | 'timeoutMs'> & { isolation?: IsolationSpec; runAs?: RunAs };

export interface JobIsolationContext {
  jobId: string;
  dataDir: string;
  /** settings.defaultIsolation: the level of a job whose spec names none. */
  defaultLevel: IsolationLevel;
  /** settings.commandPolicy. */
  policy: CommandPolicy;
  /** The environment jobs start from (userEnvironment): its PATH also resolves the policy's program names. */
  baseEnv: Readonly<Record<string, string>>;
  /** The machine's capabilities when not the probed ones (a test forcing the no-cgroup path). */
  caps?: Capabilities;
}

/** prepareIsolation for a job spec as the runner holds it: one call at preflight, one at launch. */
export function prepareJobIsolation(spec: IsolatedSpec, plan: LaunchPlan, ctx: JobIsolationContext): Preparation {
  return prepareIsolation({
    plan,
    command: spec.command,
    envSet: spec.env.set,
    isolation: spec.isolation ?? { level: ctx.defaultLevel, overrides: {} },
    policy: ctx.policy,
    runAs: spec.runAs,
    timeoutMs: spec.timeoutMs,
    dataDir: ctx.dataDir,
    jobId: ctx.jobId,
    baseEnv: ctx.baseEnv,
    caps: ctx.caps,
  });
}
