import { z } from 'zod';
import { ISOLATION_LEVELS } from '../isolation';
import { envNameSchema } from '../jobSpec';
import { alertActionSchema } from '../monitoring';
import { groupNameSchema } from '../scheduling';
import { exactlyOneOf, fileCommandSchema, fileProbeSchema, fileScheduleSchema, fileWatchSchema, pathTextSchema } from './fileParts';
import { coresSchema, durationTextSchema, percentSchema, sizeTextSchema } from './units';
import { DEPENDENCY_CONDITIONS, jobNameSchema, ON_UNHEALTHY_ACTIONS } from './fileWords';

/**
 * The config file (procdeck.yaml) as an operator writes it: `jobs:` mapping a name to a
 * definition, in operator words (durations "5s", sizes "512MiB", cores "0,1"). This schema
 * only checks shapes and patterns; electron/engine/config/ turns a file that passes it into
 * job specs (resolving paths, reading envFile, checking dependencies and cron). The JSON
 * Schema for editors (shared/procdeck-config.schema.json) is generated from it.
 *
 * These names are a promise: a file written for this version keeps working.
 */

export const CONFIG_FILE_VERSION = 1;

export { JOB_NAME_PATTERN, jobNameSchema, DEPENDENCY_CONDITIONS, ON_UNHEALTHY_ACTIONS, type DependencyCondition, type OnUnhealthy } from './fileWords';

/** The file's words for the spec's restart policies: no (never), on-failure, always. */
export const FILE_RESTART_POLICIES = ['no', 'on-failure', 'always'] as const;

/** Keys only a cluster backend reads (issue 17): parsed and checked now, run later. */
export const CLUSTER_KEYS = ['where'] as const;

const envValueSchema = z.union([z.string(), z.number(), z.boolean()], { error: 'an environment value is text (write "" for an empty one)' });

const restartMappingSchema = z.strictObject({
  policy: z.enum(FILE_RESTART_POLICIES).describe('no (default), on-failure (exit code other than 0, or a signal), always').optional(),
  backoff: z
    .union(
      [
        durationTextSchema,
        z.strictObject({
          initial: durationTextSchema.describe('the first delay (default 1s)').optional(),
          factor: z.number().min(1).max(10).describe('each further delay is the last times this (default 2)').optional(),
          max: durationTextSchema.describe('the longest delay (default 1m)').optional(),
        }),
      ],
      { error: 'backoff is a duration (the first delay), or a mapping with initial, factor, max' },
    )
    .describe('the delay before a restart: a duration, or {initial, factor, max}')
    .optional(),
  maxRestarts: z.number().int().min(0).max(10_000).describe('at most this many restarts within `window`; one more ends the job as crash-looping (default 5)').optional(),
  window: durationTextSchema.describe('the window maxRestarts counts in (default 10m)').optional(),
  minUptime: durationTextSchema.describe('a run shorter than this counts as a crash: the backoff keeps growing (default 5s)').optional(),
});

const restartSchema = z
  .union([z.enum(FILE_RESTART_POLICIES), restartMappingSchema], { error: 'restart is no, on-failure, always, or a mapping with policy, backoff, maxRestarts, window, minUptime' })
  .describe('restart when a run ends: no | on-failure | always, or {policy, backoff, maxRestarts, window, minUptime}');


const dependencyMappingSchema = z
  .strictObject({
    condition: z.enum(DEPENDENCY_CONDITIONS).describe('started | healthy | succeeded, as in the short form'),
    onUnhealthy: z
      .enum(ON_UNHEALTHY_ACTIONS)
      .describe('healthy only: when the dependency turns unhealthy, tell (default: a log line and a notice; this job keeps running) or stop this job until the dependency is healthy again')
      .optional(),
  })
  .refine((dependency) => dependency.onUnhealthy === undefined || dependency.condition === 'healthy', {
    message: 'onUnhealthy belongs to condition: healthy (a dependency that only has to start or succeed is never unhealthy for its dependant)',
    path: ['onUnhealthy'],
  })
  // The same rule for editors: with onUnhealthy, the condition is healthy.
  .meta({ if: { required: ['onUnhealthy'] }, then: { properties: { condition: { const: 'healthy' } } } });

const dependsOnSchema = z
  .union(
    [
      z.record(
        jobNameSchema,
        z.union([z.enum(DEPENDENCY_CONDITIONS), dependencyMappingSchema], { error: 'a dependency is started, healthy or succeeded, or a mapping with condition and onUnhealthy' }),
      ),
      z.array(jobNameSchema).max(1000),
    ],
    { error: 'dependsOn maps job names to started, healthy or succeeded (or to {condition, onUnhealthy}), or is a list of names, each meaning started' },
  )
  .describe('jobs of this file to wait for: {name: started | healthy | succeeded} or {name: {condition: healthy, onUnhealthy: tell | stop}}; a list of names means started');

const affinitySchema = z
  .union(
    [
      coresSchema,
      z.literal('least-loaded'),
      z.strictObject({
        mode: z.enum(['fixed', 'round-robin', 'least-loaded']).describe('fixed (default): all the cores; round-robin: each run the next; least-loaded: the idlest').optional(),
        cores: coresSchema.optional(),
      }),
    ],
    { error: 'affinity is cores ("0,1", "0-3", a list), least-loaded, or a mapping with mode and cores' },
  )
  .describe('CPU cores: "0,1" / "0-3" / [0, 1] (pinned), least-loaded, or {mode: fixed | round-robin | least-loaded, cores}');

/** A limit's value, or `unlimited` (or null) to lift the level's preset limit. */
const limitOf = <T extends z.ZodType>(schema: T) => z.union([schema, z.literal('unlimited'), z.null()]).optional();

const isolationSchema = z
  .union(
    [
      z.enum(ISOLATION_LEVELS),
      z.strictObject({
        level: z.enum(ISOLATION_LEVELS).describe('none (default in a mapping), basic, enhanced, maximum; without isolation: the level in Settings').optional(),
        memory: limitOf(sizeTextSchema).describe('memory of the whole tree: 512MiB, 2G, or unlimited'),
        cpuTime: limitOf(durationTextSchema).describe('CPU time per process, whole seconds: 60s, 1h, or unlimited'),
        openFiles: limitOf(z.number().int().min(8)).describe('open files per process, or unlimited'),
        processes: limitOf(z.number().int().min(1)).describe('processes and threads of the tree, or unlimited'),
        wallClock: limitOf(durationTextSchema).describe('wall-clock limit: 2h, or unlimited'),
        cleanEnv: z.boolean().describe('start from PATH, HOME and LANG only, plus the job\'s env').optional(),
        cwd: z.union([z.literal('private'), pathTextSchema('isolation cwd'), z.null()]).describe('a fixed working directory, or private (a per-job directory)').optional(),
      }),
    ],
    { error: 'isolation is a level (none, basic, enhanced, maximum) or a mapping with level and limits' },
  )
  .describe('a level (none | basic | enhanced | maximum) or {level, memory, cpuTime, openFiles, processes, wallClock, cleanEnv, cwd}');

const principalSchema = z.union([z.number().int().min(0), z.string().min(1)], { error: 'a user or group is a name or a numeric id' });
const runAsSchema = z
  .union([principalSchema, z.strictObject({ user: principalSchema.optional(), group: principalSchema.optional() })], { error: 'runAs is a user, or a mapping with user and group' })
  .describe('run as this user (a name or uid), or {user, group}; Procdeck must run as root');

export const ALERT_KEYS = ['cpu', 'memory', 'runtime', 'leak'] as const;
const alertSchema = exactlyOneOf(
  z.strictObject({
    cpu: percentSchema.describe('CPU of the whole tree above this: 90% (250% is two and a half cores)').optional(),
    memory: sizeTextSchema.describe('resident memory of the tree above this: 1GiB').optional(),
    runtime: durationTextSchema.describe('the run has been running longer than this: 2h').optional(),
    leak: z.literal(true).describe('memory rises steadily (the leak detector)').optional(),
    for: durationTextSchema.describe('cpu and memory only: for at least this long (default 0s)').optional(),
    action: alertActionSchema.describe('notify (default), stop, restart').optional(),
    id: z.string().min(1).max(100).describe('the rule\'s id (default: its kind and place, cpu-1)').optional(),
  }),
  ALERT_KEYS,
  'alert',
)
  .refine((alert) => alert.for === undefined || alert.cpu !== undefined || alert.memory !== undefined, { message: '"for" belongs to a cpu or memory alert', path: ['for'] })
  .describe('one of cpu, memory, runtime, leak, with for and action');

const whereSchema = z
  .union(
    [
      z.enum(['local', 'slurm']),
      z.strictObject({
        kind: z.enum(['local', 'slurm']),
        partition: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'partition is one partition name').describe('cluster: sbatch --partition').optional(),
        cpus: z.number().int().min(1).max(4096).describe('cluster: CPUs for the task').optional(),
        memory: sizeTextSchema.describe('cluster: memory (--mem)').optional(),
        timeLimit: durationTextSchema.describe('cluster: time limit (--time)').optional(),
        nodes: z.number().int().min(1).max(100_000).describe('cluster: nodes').optional(),
      }),
    ],
    { error: 'where is local, slurm, or a mapping with kind: slurm and partition, cpus, memory, timeLimit, nodes' },
  )
  .describe('cluster key: where the job runs, local (default) or slurm with {partition, cpus, memory, timeLimit, nodes}');

const labelKeySchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$/, 'a label name uses letters, digits, "_", ".", "/" and "-" (at most 63)');

export const fileJobSchema = z.strictObject({
  command: fileCommandSchema('command').describe('a string runs through the shell; a list is the program and its arguments'),
  cwd: pathTextSchema('cwd').describe('working directory, relative to this file (default: the file\'s directory)').optional(),
  env: z.record(envNameSchema, envValueSchema).describe('environment variables set for the job (they win over envFile)').optional(),
  envFile: pathTextSchema('envFile').describe('a KEY=VALUE file (dotenv), relative to this file').optional(),
  inheritEnv: z
    .union([z.boolean(), z.array(envNameSchema)], { error: 'inheritEnv is true, false, or a list of variable names' })
    .describe('true (default): Procdeck\'s environment; false: only PATH, HOME, LANG, USER, TERM; a list: only those names')
    .optional(),
  stdin: z.enum(['pipe', 'closed']).describe('pipe (default: the UI can write to it) or closed').optional(),
  autostart: z.boolean().describe('start when Procdeck starts, in dependency order').optional(),
  restart: restartSchema.optional(),
  dependsOn: dependsOnSchema.optional(),
  readiness: fileProbeSchema.describe('when the run is ready: one of http, tcp, exec, log, with timings').optional(),
  liveness: fileProbeSchema.describe('while it runs: failures restart it under its restart policy').optional(),
  schedule: fileScheduleSchema.describe('run on a cron schedule').optional(),
  watch: fileWatchSchema.describe('restart when files under these paths change').optional(),
  group: groupNameSchema.describe('pool group (default: default)').optional(),
  priority: z.number().int().min(-1000).max(1000).describe('higher starts first among queued jobs (default 0)').optional(),
  affinity: affinitySchema.optional(),
  nice: z.number().int().min(-20).max(19).describe('scheduling priority, -20 to 19').optional(),
  isolation: isolationSchema.optional(),
  runAs: runAsSchema.optional(),
  alerts: z.array(alertSchema).max(50).describe('alert rules').optional(),
  timeout: durationTextSchema.describe('wall-clock limit of a run: stopped after this, ends as timed out').optional(),
  gracePeriod: durationTextSchema.describe('how long stop waits after SIGTERM before SIGKILL (default 5s)').optional(),
  labels: z.record(labelKeySchema, z.union([z.string().max(256), z.number(), z.boolean()])).describe('free-form name: value pairs').optional(),
  where: whereSchema.optional(),
});
export type FileJob = z.infer<typeof fileJobSchema>;

export const configFileSchema = z
  .strictObject({
    version: z.literal(CONFIG_FILE_VERSION, { error: `this Procdeck reads version ${CONFIG_FILE_VERSION} files` }).describe('the file format\'s version (1)').optional(),
    jobs: z.record(jobNameSchema, fileJobSchema, { error: 'jobs maps job names to definitions' }).describe('job name → definition'),
  })
  // x-anything at the top is the operator's own (YAML anchors to merge with <<: *name), as in compose files.
  .meta({ patternProperties: { '^x-': {} }, title: 'Procdeck jobs' });
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Top-level keys the parser leaves alone, like compose files' extension fields. */
export const isExtensionKey = (key: string): boolean => key.startsWith('x-');
