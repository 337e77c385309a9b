import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { niceSchema } from './scheduling';
import { signalNameSchema } from './signals';

const pidSchema = lazySchema(() => z.number().int('a pid is a whole number').min(1, 'a pid is a positive number').max(2 ** 22));
/** A process's start time (clock ticks since boot): with the pid it names one process across pid reuse. */
const startTimeSchema = lazySchema(() => z.number().int().min(0));
const coreSchema = lazySchema(() => z.number().int('a core is a whole number').min(0, 'a core number must not be negative').max(4095));

/** One process of a job's (or watched process's) tree. */
export const treeProcessSchema = lazySchema(() => z.object({
  pid: z.number().int(),
  ppid: z.number().int(),
  /** /proc/PID/cmdline with NULs as spaces; "[comm]" for kernel threads and zombies, which have none. */
  command: z.string(),
  /** Percent of one core since the previous tick, including children it reaped meanwhile. */
  cpu: z.number(),
  rss: z.number(),
  state: z.string(),
  threads: z.number().int(),
}));
export type TreeProcess = z.infer<typeof treeProcessSchema>;

export const processTreeDetailSchema = lazySchema(() => z.object({
  subjectId: z.string(),
  rootPid: z.number().int(),
  at: z.number(),
  /** Root first, then breadth first. */
  processes: z.array(treeProcessSchema),
  totals: z.object({ cpu: z.number(), rss: z.number(), processes: z.number().int() }),
}));
export type ProcessTreeDetail = z.infer<typeof processTreeDetailSchema>;

export const runMetricsSchema = lazySchema(() => z.object({
  runId: z.string(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  durationMs: z.number(),
  /** Highest tree CPU % of any tick (200 = two cores). */
  peakCpu: z.number(),
  peakRss: z.number(),
  /** CPU time of the whole tree, including reaped children; the last partial tick before exit is not seen. */
  cpuSeconds: z.number(),
  outputBytes: z.number(),
  samples: z.number().int(),
}));
export type RunMetrics = z.infer<typeof runMetricsSchema>;

export const historyRangeSchema = lazySchema(() => z.enum(['1m', '15m', '1h', 'run']));
export type HistoryRange = z.infer<typeof historyRangeSchema>;

/** A chart point: one sample, or the average of several with their extremes (min/max present then). */
export const historyPointSchema = lazySchema(() => z.object({
  at: z.number(),
  cpu: z.number(),
  rss: z.number(),
  processes: z.number(),
  cpuMin: z.number().optional(),
  cpuMax: z.number().optional(),
  rssMin: z.number().optional(),
  rssMax: z.number().optional(),
}));
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historyRequestSchema = lazySchema(() => z.object({
  subjectId: z.string().min(1).max(100),
  range: historyRangeSchema.default('run'),
  maxPoints: z.number().int().min(10).max(2000).default(300),
}));

export const systemStatsSchema = lazySchema(() => z.object({
  at: z.number(),
  /** Busy % per core since the previous reading (0 on the first). */
  cores: z.array(z.number()),
  /** Busy % of the whole machine (100 = every core busy). */
  cpu: z.number(),
  memory: z.object({
    total: z.number(),
    available: z.number(),
    /** total − available: what `free` and htop count as used. */
    used: z.number(),
    swapTotal: z.number(),
    swapUsed: z.number(),
  }),
  /** 1, 5 and 15 minute load averages. */
  load: z.tuple([z.number(), z.number(), z.number()]),
}));
export type SystemStats = z.infer<typeof systemStatsSchema>;

export const systemProcessSchema = lazySchema(() => z.object({
  pid: z.number().int(),
  ppid: z.number().int(),
  startTime: z.number().int(),
  uid: z.number().int(),
  user: z.string(),
  command: z.string(),
  /** Percent of one core used by the process itself since the previous tick (htop's figure). */
  cpu: z.number(),
  rss: z.number(),
  state: z.string(),
  nice: z.number().int(),
  threads: z.number().int(),
  /** Depth below the nearest listed ancestor in tree mode; 0 otherwise. */
  depth: z.number().int(),
}));
export type SystemProcess = z.infer<typeof systemProcessSchema>;

export const processSortKeySchema = lazySchema(() => z.enum(['cpu', 'memory', 'pid', 'user', 'command']));
export type ProcessSortKey = z.infer<typeof processSortKeySchema>;

export const systemProcessQuerySchema = lazySchema(() => z.object({
  sort: processSortKeySchema.default('cpu'),
  descending: z.boolean().default(true),
  /** Case-insensitive text matched against command, user and pid. */
  filter: z.string().max(200).default(''),
  /** Depth-first order with depth; filtered rows keep their ancestors so the tree stays connected. */
  tree: z.boolean().default(false),
  limit: z.number().int().min(1).max(100_000).default(5000),
}));
export type SystemProcessQuery = z.output<typeof systemProcessQuerySchema>;
export type SystemProcessQueryInput = z.input<typeof systemProcessQuerySchema>;

export const systemProcessListSchema = lazySchema(() => z.object({
  at: z.number(),
  /** Processes on the machine before filtering. */
  total: z.number().int(),
  processes: z.array(systemProcessSchema),
}));
export type SystemProcessList = z.infer<typeof systemProcessListSchema>;

/** The process an action targets; with startTime, an action on a reused pid is refused. */
export const processTargetSchema = lazySchema(() => z.object({ pid: pidSchema, startTime: startTimeSchema.optional() }));
export type ProcessTarget = z.infer<typeof processTargetSchema>;

/**
 * The second confirmation an action on someone else's process needs: "other-user" for a
 * process not started by Procdeck's own user (when Procdeck runs as root: not started by
 * Procdeck or from its session), "kernel-thread" for one of the kernel's threads. The engine
 * asks for it (error NEEDS_CONFIRMATION, naming the process) and refuses without it.
 */
export const PROCESS_CONFIRMATIONS = ['other-user', 'kernel-thread'] as const;
export const processConfirmationSchema = lazySchema(() => z.enum(PROCESS_CONFIRMATIONS, { error: () => `confirm must be one of ${PROCESS_CONFIRMATIONS.join(', ')}` }));
export type ProcessConfirmation = z.infer<typeof processConfirmationSchema>;

/** What an operator's action names: the pid and its start time (always: a reused pid is another process), and any second confirmation. */
export const processActionTargetSchema = lazySchema(() => z.object({
  pid: pidSchema,
  startTime: startTimeSchema,
  confirm: processConfirmationSchema.optional(),
}));
export type ProcessActionTarget = z.infer<typeof processActionTargetSchema>;

export const processSignalRequestSchema = lazySchema(() => processActionTargetSchema.extend({ signal: signalNameSchema }));
export type ProcessSignalRequest = z.infer<typeof processSignalRequestSchema>;
export const processReniceRequestSchema = lazySchema(() => processActionTargetSchema.extend({
  nice: niceSchema,
  /** Linux keeps a nice value per thread: false changes the main thread only. */
  allThreads: z.boolean().default(true),
}));
export type ProcessReniceRequest = z.output<typeof processReniceRequestSchema>;
export const processAffinityRequestSchema = lazySchema(() => processActionTargetSchema.extend({
  cores: z.array(coreSchema).min(1, 'choose at least one core').max(4096),
}));
export type ProcessAffinityRequest = z.infer<typeof processAffinityRequestSchema>;
/** What an action left in force, read back from /proc. */
export const processActionResultSchema = lazySchema(() => z.object({
  pid: z.number().int(),
  state: z.string().optional(),
  nice: z.number().int().optional(),
  cores: z.array(z.number().int()).optional(),
}));
export type ProcessActionResult = z.infer<typeof processActionResultSchema>;

export const watchedProcessSchema = lazySchema(() => z.object({
  /** Subject id used by history, tree detail, metrics and alert rules. */
  id: z.string(),
  pid: z.number().int(),
  startTime: z.number().int(),
  command: z.string(),
  watchedAt: z.number(),
  /** Set once the process has exited; its history stays until unwatched. */
  endedAt: z.number().optional(),
}));
export type WatchedProcess = z.infer<typeof watchedProcessSchema>;

export const watchRequestSchema = lazySchema(() => processTargetSchema);

export const leakSettingsSchema = lazySchema(() => z.object({
  windowMs: z.number().int().min(1000).max(24 * 3_600_000).default(600_000),
  /** Smallest growth (bytes per minute) worth flagging. */
  minSlopeBytesPerMinute: z.number().min(0).default(1024 * 1024),
  /** Smallest R² of the straight-line fit: how steadily memory rises. */
  minR2: z.number().min(0).max(1).default(0.8),
  /** Judge only once the samples span this share of the window. */
  minCoverage: z.number().min(0.1).max(1).default(0.9),
}));
export type LeakSettings = z.output<typeof leakSettingsSchema>;

export const leakVerdictSchema = lazySchema(() => z.object({
  leaking: z.boolean(),
  slopeBytesPerMinute: z.number(),
  /** Growth in MiB per minute (the badge's figure). */
  growthMiBPerMinute: z.number(),
  r2: z.number(),
  /** Growth over the most recent half of the window: a plateau shows up here first. */
  recentSlopeBytesPerMinute: z.number(),
  points: z.number().int(),
  spanMs: z.number(),
}));
export type LeakVerdict = z.infer<typeof leakVerdictSchema>;

export const alertActionSchema = lazySchema(() => z.enum(['notify', 'stop', 'restart']));
export type AlertAction = z.infer<typeof alertActionSchema>;

export const alertRuleSchema = lazySchema(() => {
  const ruleBase = { id: z.string().min(1).max(100), action: alertActionSchema.default('notify') };
  return z.discriminatedUnion('kind', [
  z.object({
    ...ruleBase,
    kind: z.literal('cpu'),
    percent: z.number().positive('CPU threshold must be above 0 %').max(409_600),
    forSeconds: z.number().min(0).max(7 * 86_400).default(0),
  }),
  z.object({
    ...ruleBase,
    kind: z.literal('memory'),
    bytes: z.number().int().positive('memory threshold must be above 0 bytes'),
    forSeconds: z.number().min(0).max(7 * 86_400).default(0),
  }),
  z.object({ ...ruleBase, kind: z.literal('runtime'), seconds: z.number().positive('runtime limit must be above 0 s').max(366 * 86_400) }),
  z.object({ ...ruleBase, kind: z.literal('leak') }),
]);
});
export type AlertRule = z.output<typeof alertRuleSchema>;
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

export const alertRulesRequestSchema = lazySchema(() => z.object({
  subjectId: z.string().min(1).max(100),
  rules: z.array(alertRuleSchema).max(50),
}));

export const firedAlertSchema = lazySchema(() => z.object({
  id: z.string(),
  subjectId: z.string(),
  rule: alertRuleSchema,
  /** The measured value that broke the rule: %, bytes, seconds, or MiB/min for a leak. */
  value: z.number(),
  at: z.number(),
  action: alertActionSchema,
  /** One sentence naming the subject: "web-api: memory 1.6 GiB above 1500 MiB for 2 s". */
  message: z.string(),
  /** The job's or watched process's name when it fired (it outlives a removed job). */
  subjectName: z.string().optional(),
}));
export type FiredAlert = z.infer<typeof firedAlertSchema>;

/** Per-tick push besides samples.tick: watched processes, the machine, leaks, alerts, the system list. */
export const monitorTickSchema = lazySchema(() => z.object({
  at: z.number(),
  watched: z.array(z.object({ id: z.string(), cpu: z.number(), rss: z.number(), processes: z.number().int() })),
  /** Watched processes found gone this tick (endedAt set); their history stays until unwatched. */
  watchEnded: z.array(watchedProcessSchema),
  system: systemStatsSchema.optional(),
  /** Verdicts that changed this tick, by subject id. */
  leaks: z.array(leakVerdictSchema.extend({ subjectId: z.string() })),
  alerts: z.array(firedAlertSchema),
  /** The process list for this viewer's own query, while its system view shows the list (see MachineMonitor.viewSystem). */
  processes: systemProcessListSchema.optional(),
}));

/** One process list and the viewers (host connections) whose query it answers. */
export const viewerProcessListSchema = lazySchema(() => z.object({ viewers: z.array(z.string()), list: systemProcessListSchema }));
export type ViewerProcessList = z.infer<typeof viewerProcessListSchema>;

/**
 * What one monitoring tick produces: monitor.tick's content, with the lists of every open
 * system view in `processLists`; the host sends each viewer its own as `processes`.
 */
export type MonitorTick = Omit<z.infer<typeof monitorTickSchema>, 'processes'> & { processLists?: ViewerProcessList[] };
