import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import { MIB } from '../../../../shared/format';
import type { IsolationLevel, IsolationSpecInput, LimitOverrides, RunAs } from '../../../../shared/isolation';

/** What the operator typed in the isolation part of the launch form. */
export interface IsolationValues {
  /** null: the level in settings (defaultIsolation), until the operator picks one. */
  level: IsolationLevel | null;
  /** Each override as typed: blank keeps the preset's value, "none" lifts the preset's limit. */
  memoryMib: string;
  cpuSeconds: string;
  openFiles: string;
  processes: string;
  wallClockSeconds: string;
  cleanEnv: 'preset' | 'yes' | 'no';
  /** "user", "user:group" or ":group"; names or numeric ids. */
  runAs: string;
}

export type IsolationField = Exclude<keyof IsolationValues, 'level'> | 'level';
export type IsolationErrors = Partial<Record<IsolationField, string>>;

export const EMPTY_ISOLATION: IsolationValues = {
  level: null,
  memoryMib: '',
  cpuSeconds: '',
  openFiles: '',
  processes: '',
  wallClockSeconds: '',
  cleanEnv: 'preset',
  runAs: '',
};

export const LEVEL_LABELS: Record<IsolationLevel, string> = {
  none: 'None',
  basic: 'Basic',
  enhanced: 'Enhanced',
  maximum: 'Maximum',
};

/** The numeric overrides: the form field, the limit it overrides, and how a typed number becomes the limit's unit. */
export const NUMERIC_OVERRIDES = [
  { field: 'memoryMib', limit: 'memoryBytes', label: 'Memory (MiB)', scale: MIB },
  { field: 'cpuSeconds', limit: 'cpuSeconds', label: 'CPU time (s)', scale: 1 },
  { field: 'openFiles', limit: 'openFiles', label: 'Open files', scale: 1 },
  { field: 'processes', limit: 'processes', label: 'Processes', scale: 1 },
  { field: 'wallClockSeconds', limit: 'wallClockMs', label: 'Wall clock (s)', scale: 1000 },
] as const;

const LIFTED = new Set(['none', 'off', 'unlimited', 'no limit']);

/** A typed override: undefined keeps the preset's value, null lifts it. */
function parseOverride(text: string, scale: number): { value: number | null | undefined } | { error: string } {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return { value: undefined };
  if (LIFTED.has(trimmed)) return { value: null };
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { error: 'enter a number, or "none" to lift the preset\'s limit' };
  // Whole numbers and ranges are the engine's to check; only the unit is converted here.
  return { value: Math.round(number * scale) };
}

const principal = (text: string): string | number => (/^\d+$/.test(text) ? Number(text) : text);

/** "alice", "1000", "alice:staff", ":staff" → the run-as request; blank → undefined. */
export function parseRunAs(text: string): { runAs: RunAs | undefined } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { runAs: undefined };
  const parts = trimmed.split(':');
  if (parts.length > 2) return { error: 'write user, user:group or :group' };
  const [user = '', group = ''] = parts.map((part) => part.trim());
  if (user === '' && group === '') return { error: 'write user, user:group or :group' };
  const runAs: RunAs = {};
  if (user !== '') runAs.uid = principal(user);
  if (group !== '') runAs.gid = principal(group);
  return { runAs };
}

export interface BuiltIsolation {
  isolation: IsolationSpecInput & { level: IsolationLevel; overrides: LimitOverrides };
  runAs: RunAs | undefined;
  /** True when the level and overrides ask for nothing beyond "none". */
  plain: boolean;
}

/** Turns the typed values into an isolation spec and run-as; only units and syntax are checked here. */
export function buildIsolation(values: IsolationValues, defaultLevel: IsolationLevel): BuiltIsolation | { errors: IsolationErrors } {
  const errors: IsolationErrors = {};
  const overrides: LimitOverrides = {};
  for (const { field, limit, scale } of NUMERIC_OVERRIDES) {
    const parsed = parseOverride(values[field], scale);
    if ('error' in parsed) errors[field] = parsed.error;
    else if (parsed.value !== undefined) overrides[limit] = parsed.value;
  }
  if (values.cleanEnv !== 'preset') overrides.cleanEnv = values.cleanEnv === 'yes';
  const runAs = parseRunAs(values.runAs);
  if ('error' in runAs) errors.runAs = runAs.error;
  if (Object.keys(errors).length > 0 || 'error' in runAs) return { errors };
  const level = values.level ?? defaultLevel;
  return { isolation: { level, overrides }, runAs: runAs.runAs, plain: level === 'none' && Object.keys(overrides).length === 0 };
}

/** The spec's isolation and runAs, as jobs.start is sent them from the launch form. */
export type IsolationSpecPart = { isolation?: IsolationSpecInput; runAs?: RunAs };

/**
 * The isolation part of a spec the form describes. A job with no isolation asked for keeps the
 * spec as before; "none" is sent when it differs from the default.
 */
export function isolationSpecPart(values: IsolationValues, defaultLevel: IsolationLevel): { spec: IsolationSpecPart } | { errors: IsolationErrors } {
  const built = buildIsolation(values, defaultLevel);
  if ('errors' in built) return built;
  const spec: IsolationSpecPart = {};
  if (!built.plain || defaultLevel !== 'none') spec.isolation = built.isolation;
  if (built.runAs !== undefined) spec.runAs = built.runAs;
  return { spec };
}

const FIELD_OF_LIMIT: Partial<Record<string, IsolationField>> = {
  ...Object.fromEntries(NUMERIC_OVERRIDES.map(({ field, limit }) => [limit, field])),
  cleanEnv: 'cleanEnv',
  cwd: 'level',
};

/** The isolation field an engine error belongs to (from jobs.start or isolation.describe), if any. */
export function isolationFieldFor(error: ProcdeckErrorPayload): IsolationField | undefined {
  const path = error.field?.replace(/^spec\./, '');
  if (!path) return undefined;
  if (path === 'isolation' || path === 'isolation.level') return 'level';
  if (path.startsWith('isolation.overrides')) return FIELD_OF_LIMIT[path.split('.')[2] ?? ''] ?? 'level';
  if (path === 'runAs' || path.startsWith('runAs.')) return 'runAs';
  return undefined;
}

/** The engine's message without its leading "spec.isolation.overrides.memoryBytes: ", redundant next to the field. */
export function messageOf(error: ProcdeckErrorPayload): string {
  const field = error.field;
  if (!field) return error.message;
  for (const prefix of [`${field}: `, `spec.${field}: `]) {
    if (error.message.startsWith(prefix)) return error.message.slice(prefix.length);
  }
  return error.message;
}
