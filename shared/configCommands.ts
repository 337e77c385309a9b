import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { jobNameSchema } from './config/fileWords';
import { jobSpecSchema } from './jobSpec';

/** Requests and answers of the config.* commands (a config file of declared jobs: see the README). */

/** An absolute path, or one relative to where Procdeck runs; refused: empty, NUL, longer than 4096. */
export const configPathRequestSchema = lazySchema(() => z.object({
  path: z
    .string()
    .min(1, 'give the path of a config file')
    .max(4096, 'the path is longer than 4096 characters')
    .refine((path) => !path.includes('\0'), { message: 'the path must not contain a NUL byte' }),
}));

export const configDiffResultSchema = lazySchema(() => z.object({
  /** The file, absolute. */
  file: z.string(),
  /** Names, in dependency order. */
  added: z.array(z.string()),
  removed: z.array(z.string()),
  /** Changed definitions with the keys that changed (the file's words) and whether a running one restarts to take them. */
  changed: z.array(z.object({ name: z.string(), fields: z.array(z.string()), needsRestart: z.boolean() })),
  unchanged: z.array(z.string()),
  /** Problems that did not refuse the file ("file:line:column: key: what"). */
  warnings: z.array(z.string()),
}));
export type ConfigDiffResult = z.infer<typeof configDiffResultSchema>;

export const configApplyResultSchema = lazySchema(() => configDiffResultSchema.extend({
  /** Definitions queued to start now (autostart), dependencies first. */
  started: z.array(z.string()),
  /** Changed running services restarted, one by one, in this order. */
  restarted: z.array(z.string()),
  /** Every definition of the file and its job. */
  jobs: z.array(z.object({ name: z.string(), jobId: z.string() })),
}));
export type ConfigApplyResult = z.infer<typeof configApplyResultSchema>;
export type ConfigLoadResult = ConfigApplyResult;

export const configExportResultSchema = lazySchema(() => z.object({ yaml: z.string() }));

/**
 * The file in force, read again after it changed on disk (or after it was applied): what
 * applying it would change, or, if it no longer loads, its errors ("file:line:column: key:
 * what"; the definitions in force stay). Nothing is applied until the operator applies it.
 */
export const configFileChangeSchema = lazySchema(() => z.object({
  /** The file, absolute. */
  file: z.string(),
  /** Absent when the file does not load. */
  diff: configDiffResultSchema.optional(),
  errors: z.array(z.string()),
}));
export type ConfigFileChange = z.infer<typeof configFileChangeSchema>;

export const configStatusResultSchema = lazySchema(() => z.object({
  /** The file in force (the last one applied), absolute; absent before any. */
  file: z.string().optional(),
  /** Its latest reading (once applied, and each time it changed on disk since): what applying it now would change. */
  change: configFileChangeSchema.optional(),
}));
export type ConfigStatusResult = z.infer<typeof configStatusResultSchema>;

/**
 * A job's spec saved as a definition of the config file in force (or, with none, of `path`, by
 * default <data dir>/procdeck.yaml), then the file applied: a definition that is not started
 * unless `autostart`. `replace` overwrites a definition of that name (editing it).
 */
export const saveDefinitionRequestSchema = lazySchema(() => z.object({
  name: jobNameSchema,
  spec: jobSpecSchema,
  autostart: z.boolean().default(false),
  replace: z.boolean().default(false),
  path: configPathRequestSchema.shape.path.optional(),
}));
export type SaveDefinitionRequest = z.infer<typeof saveDefinitionRequestSchema>;

/** A definition of the file in force started with Procdeck (autostart) or not: the file is edited (the rest kept as it was) and applied. */
export const setAutostartRequestSchema = lazySchema(() => z.object({ name: jobNameSchema, autostart: z.boolean() }));
