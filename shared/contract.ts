import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { backendDescriptionSchema } from './backends';
import { jobSpecSchema, specWarningSchema } from './jobSpec';
import {
  jobSnapshotSchema,
  logBatchSchema,
  logChunkSchema,
  logStreamSchema,
  recoveredGroupSchema,
  sampleTickSchema,
  jobSampleSchema,
} from './jobSnapshot';
import { runRecordSchema } from './run';
import { settingsPatchSchema, settingsSchema } from './settings';
import { signalNameSchema } from './signals';
import { procdeckErrorSchema } from './errors';
import { isolationReportSchema, isolationSpecSchema, runAsSchema } from './isolation';
import {
  alertRuleSchema,
  alertRulesRequestSchema,
  firedAlertSchema,
  historyPointSchema,
  historyRequestSchema,
  leakVerdictSchema,
  monitorTickSchema,
  processActionResultSchema,
  processAffinityRequestSchema,
  processReniceRequestSchema,
  processSignalRequestSchema,
  processTreeDetailSchema,
  runMetricsSchema,
  systemProcessListSchema,
  systemProcessQuerySchema,
  systemStatsSchema,
  watchedProcessSchema,
  watchRequestSchema,
} from './monitoring';
import {
  configApplyResultSchema,
  configDiffResultSchema,
  configExportResultSchema,
  configFileChangeSchema,
  configPathRequestSchema,
  configStatusResultSchema,
  saveDefinitionRequestSchema,
  setAutostartRequestSchema,
} from './configCommands';
import { batchProgressSchema, batchRequestSchema, groupInfoSchema, groupNameSchema, niceSchema } from './scheduling';

const jobRef = z.object({ jobId: z.string().min(1).max(100) });
const jobResult = z.object({ job: jobSnapshotSchema });
const empty = z.object({});
/** A run of a job, by its number as jobs.runs gives it. */
const runNumberSchema = z.number().int().min(1, 'run numbers start at 1');
/** The most matches logs.search answers with at once. */
export const LOG_SEARCH_MAX_LIMIT = 5000;

/** Every command: its request and response schema. Both hosts and both clients are typed from this. */
export const commands = {
  'engine.info': {
    request: empty,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      cores: z.number().int(),
      dataDir: z.string(),
      host: z.enum(['electron', 'browser']),
      /** When this engine opened the data directory (epoch ms): a run that started before it ran under an earlier one. */
      startedAt: z.number(),
    }),
  },
  'jobs.list': {
    request: empty,
    /** `queue`: queued job ids in the order they would start (as in queue.changed). */
    response: z.object({ jobs: z.array(jobSnapshotSchema), queue: z.array(z.string()) }),
  },
  'jobs.start': { request: z.object({ spec: jobSpecSchema }), response: jobResult },
  /**
   * Read-only: what would probably make this spec fail at once, found without starting it (a
   * program not in the job's PATH, also a shell command's first program). Warnings, which the
   * operator may override: the shell may define what its PATH lacks.
   */
  'jobs.check': {
    request: z.object({ spec: jobSpecSchema }),
    response: z.object({ warnings: z.array(specWarningSchema) }),
  },
  'jobs.stop': { request: jobRef, response: jobResult },
  'jobs.kill': { request: jobRef, response: jobResult },
  'jobs.signal': { request: jobRef.extend({ signal: signalNameSchema }), response: jobResult },
  'jobs.pause': { request: jobRef, response: jobResult },
  'jobs.resume': { request: jobRef, response: jobResult },
  'jobs.restart': { request: jobRef, response: jobResult },
  'jobs.remove': { request: jobRef, response: empty },
  'jobs.writeStdin': {
    request: jobRef.extend({ data: z.string().max(1024 * 1024, 'stdin text is larger than 1 MiB') }),
    response: jobResult,
  },
  'jobs.closeStdin': { request: jobRef, response: jobResult },
  'jobs.setAffinity': {
    request: jobRef.extend({ cores: z.array(z.number().int().min(0).max(4095)).min(1, 'choose at least one core') }),
    response: jobResult,
  },
  'jobs.renice': { request: jobRef.extend({ nice: niceSchema }), response: jobResult },
  /** The job's runs, newest first (a live one included): at most `limit`, of the settings' runsKept per job. */
  'jobs.runs': {
    request: jobRef.extend({ limit: z.number().int().min(1, 'limit must be at least 1').max(1000, 'limit is more than 1000').optional() }),
    response: z.object({ runs: z.array(runRecordSchema) }),
  },
  'groups.list': { request: empty, response: z.object({ groups: z.array(groupInfoSchema) }) },
  'groups.update': {
    request: z.object({
      name: groupNameSchema,
      limit: z.number().int().min(1, 'limit must be at least 1').max(4096).nullable().optional(),
      paused: z.boolean().optional(),
    }),
    response: z.object({ groups: z.array(groupInfoSchema) }),
  },
  'batches.submit': { request: batchRequestSchema, response: z.object({ batch: batchProgressSchema }) },
  'batches.list': { request: empty, response: z.object({ batches: z.array(batchProgressSchema) }) },
  'batches.stop': { request: z.object({ batchId: z.string() }), response: z.object({ batch: batchProgressSchema }) },
  'batches.retryFailed': { request: z.object({ batchId: z.string() }), response: z.object({ batch: batchProgressSchema }) },
  /**
   * The latest run's output kept in memory (at most tailMaxBytes), or for a run from before the
   * engine restarted, the end of its log file. `truncated`: older output is only in the file,
   * `filePath` (rotated parts beside it as .1, .2…). With `run`, that run of the job (its
   * number, as jobs.runs gives it) instead of the latest: the end of its log file once it is over.
   */
  'logs.tail': {
    request: jobRef.extend({ run: runNumberSchema.optional() }),
    response: z.object({ runId: z.string().optional(), chunks: z.array(logChunkSchema), truncated: z.boolean(), filePath: z.string().optional() }),
  },
  /**
   * Read-only: the disk space all run logs take (`usedBytes`, in `files` files under
   * `<data dir>/logs`) and the budget they are kept within (settings.logBudgetBytes).
   */
  'logs.usage': {
    request: empty,
    response: z.object({ usedBytes: z.number().int().min(0), budgetBytes: z.number().int(), files: z.number().int().min(0) }),
  },
  /**
   * Read-only: the lines of a run's whole log on disk that match (the latest run's, or run
   * `run`'s), read from every part of it: `line` counts from the first line of the oldest part
   * kept (`<file>.N` … `.1`, then the file). `total` counts every match, `limited` says the
   * `limit` cut the matches short of it; `lines` is how many lines were searched. Plain text or
   * a regular expression (one that could take exponential time is refused), either case unless
   * `caseSensitive`.
   */
  'logs.search': {
    request: jobRef.extend({
      run: runNumberSchema.optional(),
      query: z.string().min(1, 'the search text is empty').max(1000, 'the search text is longer than 1000 characters'),
      regex: z.boolean().default(false),
      caseSensitive: z.boolean().default(false),
      limit: z.number().int().min(1, 'limit must be at least 1').max(LOG_SEARCH_MAX_LIMIT, `limit is more than ${LOG_SEARCH_MAX_LIMIT}`).default(1000),
    }),
    response: z.object({
      runId: z.string().optional(),
      filePath: z.string().optional(),
      matches: z.array(
        z.object({
          line: z.number().int().min(1),
          stream: logStreamSchema,
          text: z.string(),
          /** The text is cut (a very long line). */
          clipped: z.literal(true).optional(),
        }),
      ),
      total: z.number().int(),
      limited: z.boolean(),
      lines: z.number().int(),
    }),
  },
  'samples.history': {
    request: jobRef,
    response: lazySchema(() => z.object({ points: z.array(z.object({ at: z.number() }).extend(jobSampleSchema.shape)) })),
  },
  'monitor.tree': { request: z.object({ subjectId: z.string() }), response: lazySchema(() => z.object({ tree: processTreeDetailSchema.nullable() })) },
  'monitor.history': { request: historyRequestSchema, response: z.object({ points: z.array(historyPointSchema) }) },
  'monitor.csv': { request: z.object({ subjectId: z.string() }), response: z.object({ csv: z.string() }) },
  'monitor.runMetrics': { request: z.object({ subjectId: z.string() }), response: lazySchema(() => z.object({ metrics: runMetricsSchema.nullable() })) },
  /** Opens (renew within 30 s) or closes the system view; the process list is scanned only while open. */
  'system.view': { request: lazySchema(() => z.object({ visible: z.boolean(), processes: systemProcessQuerySchema.optional() })), response: empty },
  'system.processes': { request: systemProcessQuerySchema, response: systemProcessListSchema },
  'system.stats': { request: empty, response: systemStatsSchema },
  'processes.signal': { request: processSignalRequestSchema, response: processActionResultSchema },
  'processes.renice': { request: processReniceRequestSchema, response: processActionResultSchema },
  'processes.setAffinity': { request: processAffinityRequestSchema, response: processActionResultSchema },
  'watch.add': { request: watchRequestSchema, response: z.object({ watched: watchedProcessSchema }) },
  'watch.remove': { request: z.object({ id: z.string() }), response: empty },
  'watch.list': { request: empty, response: z.object({ watched: z.array(watchedProcessSchema) }) },
  'alerts.setRules': { request: alertRulesRequestSchema, response: z.object({ rules: z.array(alertRuleSchema) }) },
  'alerts.rules': { request: z.object({ subjectId: z.string() }), response: z.object({ rules: z.array(alertRuleSchema) }) },
  /** Subjects flagged as possible leaks now (monitor.tick only pushes changes). */
  'monitor.leaks': { request: empty, response: lazySchema(() => z.object({ leaks: z.array(leakVerdictSchema.extend({ subjectId: z.string() })) })) },
  'alerts.history': {
    request: z.object({ subjectId: z.string().optional(), limit: z.number().int().min(1).max(10_000).optional() }),
    response: z.object({ alerts: z.array(firedAlertSchema) }),
  },
  /** The limits a level (plus overrides) puts in force on this machine, each with its mechanism and caveats. */
  'isolation.describe': {
    request: lazySchema(() => z.object({ isolation: isolationSpecSchema, runAs: runAsSchema.optional() })),
    response: z.object({ report: isolationReportSchema, machine: z.array(z.string()) }),
  },
  'settings.get': { request: empty, response: settingsSchema },
  /** Where jobs can run (this machine, the Slurm cluster) and whether each can take jobs now. */
  'backends.describe': { request: empty, response: z.object({ backends: z.array(backendDescriptionSchema) }) },
  'settings.update': { request: settingsPatchSchema, response: settingsSchema },
  /**
   * Browser mode: a new access token, stored for later starts; every tab and event stream
   * holding the old one is disconnected. The answer is the new URL (the desktop app has none:
   * UNSUPPORTED). `notice`: what the operator should know (PROCDECK_TOKEN overrides it at start).
   */
  'access.rotateToken': { request: empty, response: z.object({ url: z.string(), notice: z.string().optional() }) },
  /** Reads a config file and puts its definitions in force, starting those with autostart (dependencies first); a bad file changes nothing and every error is named at file:line:column. */
  'config.load': { request: configPathRequestSchema, response: configApplyResultSchema },
  /** What applying the file would change: added, changed (with the keys) and removed definitions. Changes nothing. */
  'config.diff': { request: configPathRequestSchema, response: configDiffResultSchema },
  /** Applies the file: new definitions made, removed ones stopped, changed running services restarted one by one in dependency order. */
  'config.apply': { request: configPathRequestSchema, response: configApplyResultSchema },
  /** The definitions in force as a config file's YAML. */
  'config.export': { request: empty, response: configExportResultSchema },
  /** The file in force and its latest reading since it changed on disk (what a client that connects now has missed). Read-only. */
  'config.status': { request: empty, response: configStatusResultSchema },
  /** Saves a spec (a clicked job's, the launch form's) as a definition in the config file, keeping the rest of the file as it was, then applies the file. */
  'config.saveDefinition': { request: saveDefinitionRequestSchema, response: configApplyResultSchema },
  /** Sets a definition's autostart in the file in force (the rest of the file kept as it was), then applies the file; starting or stopping nothing now. */
  'config.setAutostart': { request: setAutostartRequestSchema, response: configApplyResultSchema },
} as const;

/** Every pushed event and its payload. The host sends at most one message per event per tick. */
export const events = {
  'jobs.changed': z.object({ jobs: z.array(jobSnapshotSchema) }),
  'jobs.removed': z.object({ jobIds: z.array(z.string()) }),
  'batches.changed': z.object({ batches: z.array(batchProgressSchema) }),
  'groups.changed': z.object({ groups: z.array(groupInfoSchema) }),
  /**
   * The pool's queue: job ids in the order they would start ("queued #n" is order[n - 1]).
   * One list instead of a changed snapshot per queued job, since every start moves them all;
   * sent at most four times a second.
   */
  'queue.changed': z.object({ order: z.array(z.string()) }),
  'logs.appended': z.object({ batches: z.array(logBatchSchema) }),
  'samples.tick': sampleTickSchema,
  /** Machine-wide figures, once per sampling tick: per-core busy %, memory, load. */
  'system.tick': systemStatsSchema,
  /** Watched processes, leak verdicts, fired alerts and (while the system view is open) the process list. */
  'monitor.tick': lazySchema(() => monitorTickSchema.omit({ system: true })),
  'engine.recovered': z.object({ groups: z.array(recoveredGroupSchema) }),
  /** Something the operator should know that is not tied to one command's answer. */
  'engine.notice': z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
  /** The config file in force changed on disk (debounced), or was applied: its diff against the definitions in force, or its errors. */
  'config.changed': configFileChangeSchema,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandRequest<N extends CommandName> = z.input<Commands[N]['request']>;
export type ParsedRequest<N extends CommandName> = z.output<Commands[N]['request']>;
export type CommandResponse<N extends CommandName> = z.output<Commands[N]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const isCommandName = (name: unknown): name is CommandName =>
  typeof name === 'string' && Object.hasOwn(commands, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(events, name);

/** The result envelope every command returns over IPC or WebSocket. */
export type CommandResult<N extends CommandName> =
  | { ok: true; value: CommandResponse<N> }
  | { ok: false; error: z.infer<typeof procdeckErrorSchema> };

/** What the renderer sees as `window.procdeck` (preload) or the WebSocket client. */
export interface ProcdeckApi {
  invoke<N extends CommandName>(name: N, request: CommandRequest<N>): Promise<CommandResult<N>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** Wire messages of the WebSocket host. */
export const wsClientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  name: z.string(),
  request: z.unknown(),
});
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

/**
 * The close code of a WebSocket whose access token was rotated (access.rotateToken): reconnecting
 * with the same token is refused, so the tab says so instead of retrying as if the host were down.
 */
export const WS_CLOSE_TOKEN_CHANGED = 4001;

export type WsServerMessage =
  | { type: 'result'; id: number | null; result: CommandResult<CommandName> }
  | { type: 'event'; name: EventName; payload: EventPayload<EventName> }
  | { type: 'hello'; host: 'browser' };
