import { describe, expect, it } from 'vitest';
import { isolationSpecSchema } from '../../../shared/isolation';
import { effectiveTimeoutMs, PRESETS, resolveLimits } from '../../../electron/engine/isolation/presets';
import { formatBytes, formatDuration } from '../../../shared/format';

const MIB = 1024 * 1024;
const resolve = (input: unknown) => resolveLimits(isolationSpecSchema.parse(input));

describe('presets and overrides', () => {
  it('grow stricter from Basic to Maximum', () => {
    const order = [PRESETS.basic, PRESETS.enhanced, PRESETS.maximum];
    for (const key of ['memoryBytes', 'cpuSeconds', 'openFiles', 'processes', 'wallClockMs'] as const) {
      const values = order.map((p) => p[key]!);
      expect(values[0]).toBeGreaterThan(values[1]!);
      expect(values[1]).toBeGreaterThan(values[2]!);
    }
    expect(PRESETS.basic.cleanEnv).toBe(false);
    expect(PRESETS.enhanced.cleanEnv).toBe(true);
    expect(PRESETS.maximum.cwd).toBe('private');
  });

  it('resolves a level with its preset, and none to nothing', () => {
    expect(resolve({})).toEqual({ level: 'none', cleanEnv: false, sandbox: false });
    expect(resolve({ level: 'maximum' })).toEqual({ level: 'maximum', ...PRESETS.maximum, sandbox: true });
  });

  it('applies overrides: a value replaces, null removes, absent keeps', () => {
    const limits = resolve({ level: 'enhanced', overrides: { memoryBytes: 256 * MIB, cpuSeconds: null, cleanEnv: false } });
    expect(limits.memoryBytes).toBe(256 * MIB);
    expect(limits.cpuSeconds).toBeUndefined();
    expect(limits.cleanEnv).toBe(false);
    expect(limits.openFiles).toBe(PRESETS.enhanced.openFiles);
  });

  it('takes the stricter of the job timeout and the wall-clock limit', () => {
    const limits = resolve({ level: 'maximum' });
    expect(effectiveTimeoutMs(undefined, limits)).toBe(600_000);
    expect(effectiveTimeoutMs(5000, limits)).toBe(5000);
    expect(effectiveTimeoutMs(10_000_000, limits)).toBe(600_000);
    expect(effectiveTimeoutMs(5000, resolve({}))).toBe(5000);
  });
});

describe('isolation schemas', () => {
  const issues = (input: unknown) => {
    const parsed = isolationSpecSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('say what is wrong in words', () => {
    expect(issues({ level: 'max' })).toEqual(['level: isolation level must be one of none, basic, enhanced, maximum']);
    expect(issues({ overrides: { memoryBytes: 1000 } })).toEqual(['overrides.memoryBytes: memory limit must be at least 16 MiB']);
    expect(issues({ overrides: { openFiles: 2.5 } })).toEqual(['overrides.openFiles: open-files limit must be a whole number of files']);
    expect(issues({ overrides: { cwd: 'work' } })).toEqual(['overrides.cwd: working directory must be an absolute path or "private"']);
    expect(issues({ overrides: { memoryByte: 1 } })[0]).toContain('unknown limit "memoryByte" (known: memoryBytes, cpuSeconds');
  });
});

describe('formatting of limits (the shared convention)', () => {
  it('reads like a person wrote it', () => {
    expect(formatBytes(256 * MIB)).toBe('256 MiB');
    expect(formatBytes(2 * 1024 * MIB)).toBe('2 GiB');
    expect(formatBytes(1536 * MIB)).toBe('1.5 GiB');
    expect(formatDuration(1000)).toBe('1 s');
    expect(formatDuration(600 * 1000)).toBe('10 min');
    expect(formatDuration(3 * 3600 * 1000)).toBe('3 h');
    expect(formatDuration(600_000)).toBe('10 min');
  });
});
