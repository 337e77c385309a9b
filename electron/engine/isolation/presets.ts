import type { IsolationLevel, IsolationSpec, ResourceLimits } from '../../../shared/isolation';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const MINUTE_MS = 60_000;

/**
 * Increasingly strict presets. Basic only caps resources; Enhanced also cleans the
 * environment; Maximum adds a bubblewrap sandbox with a private working directory.
 */
export const PRESETS: Readonly<Record<Exclude<IsolationLevel, 'none'>, Readonly<ResourceLimits>>> = {
  basic: { memoryBytes: 2 * GIB, cpuSeconds: 3600, openFiles: 4096, processes: 1024, wallClockMs: 12 * 60 * MINUTE_MS, cleanEnv: false },
  enhanced: { memoryBytes: 1 * GIB, cpuSeconds: 600, openFiles: 1024, processes: 256, wallClockMs: 60 * MINUTE_MS, cleanEnv: true },
  maximum: { memoryBytes: 512 * MIB, cpuSeconds: 120, openFiles: 256, processes: 64, wallClockMs: 10 * MINUTE_MS, cleanEnv: true, cwd: 'private' },
};

/** The values in force for a job: its level's preset with the job's overrides applied. */
export interface ResolvedLimits {
  level: IsolationLevel;
  memoryBytes?: number;
  cpuSeconds?: number;
  openFiles?: number;
  processes?: number;
  wallClockMs?: number;
  cleanEnv: boolean;
  /** Absolute path, or 'private' for the engine-made per-job directory. */
  cwd?: string;
  /** Runs inside bubblewrap (Maximum only). */
  sandbox: boolean;
}

export function resolveLimits(spec: IsolationSpec): ResolvedLimits {
  const preset: ResourceLimits = spec.level === 'none' ? {} : PRESETS[spec.level];
  const merged: ResourceLimits = { ...preset };
  for (const [key, value] of Object.entries(spec.overrides) as [keyof ResourceLimits, unknown][]) {
    if (value === undefined) continue;
    // null removes the preset's value ("no memory cap, but keep the rest of Enhanced").
    if (value === null) delete merged[key];
    else Object.assign(merged, { [key]: value });
  }
  return { ...merged, level: spec.level, cleanEnv: merged.cleanEnv ?? false, sandbox: spec.level === 'maximum' };
}

/** The wall-clock timeout in force: the stricter of the job's own timeout and the isolation limit. */
export function effectiveTimeoutMs(specTimeoutMs: number | undefined, limits: ResolvedLimits): number | undefined {
  if (specTimeoutMs === undefined) return limits.wallClockMs;
  if (limits.wallClockMs === undefined) return specTimeoutMs;
  return Math.min(specTimeoutMs, limits.wallClockMs);
}

/** True when the level and overrides ask for nothing (the fast path: no wrapper at all). */
export function isUnlimited(limits: ResolvedLimits): boolean {
  return (
    !limits.sandbox &&
    !limits.cleanEnv &&
    limits.cwd === undefined &&
    [limits.memoryBytes, limits.cpuSeconds, limits.openFiles, limits.processes, limits.wallClockMs].every((v) => v === undefined)
  );
}
