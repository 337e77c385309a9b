import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../electron/engine/engineError';
import { parseWatch, type WatchInput } from '../../../electron/engine/watch/watchSpec';

function refusal(input: unknown): { field?: string; message: string } {
  try {
    parseWatch(input as WatchInput, 'watch');
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return { field: (error as EngineError).field, message: (error as EngineError).message };
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseWatch', () => {
  it('resolves paths against the base directory and fills in the defaults', () => {
    const watch = parseWatch({ paths: ['src', '/etc/app.conf', './src'], baseDir: '/srv/app' });
    expect(watch).toMatchObject({ paths: ['/srv/app/src', '/etc/app.conf'], debounceMs: 500, maxWaitMs: 5_000, maxEntries: 10_000 });
    expect(watch.ignore.ignores('node_modules/x')).toBe(true);
    expect(watch.ignore.ignores('.git/HEAD')).toBe(true);
    expect(watch.ignore.ignores('src/app.ts')).toBe(false);
  });

  it('refuses what it cannot watch, naming the field', () => {
    expect(refusal({ paths: [], baseDir: '/srv' })).toMatchObject({ field: 'watch.paths' });
    expect(refusal({ paths: ['src'], baseDir: 'relative' })).toMatchObject({ field: 'watch.baseDir' });
    expect(refusal({ paths: ['src', ''], baseDir: '/srv' })).toMatchObject({ field: 'watch.paths[1]' });
    expect(refusal({ paths: ['a\0b'], baseDir: '/srv' })).toMatchObject({ field: 'watch.paths[0]' });
    expect(refusal({ paths: ['src'], baseDir: '/srv', debounceMs: -1 })).toMatchObject({ field: 'watch.debounceMs' });
    expect(refusal({ paths: ['src'], baseDir: '/srv', maxEntries: 0 })).toMatchObject({ field: 'watch.maxEntries' });
    expect(refusal({ paths: ['src'], baseDir: '/srv', ignore: 'node_modules' })).toMatchObject({ field: 'watch.ignore' });
    expect(refusal({ paths: ['src'], baseDir: '/srv', ignore: ['ok', 'bad['] })).toMatchObject({ field: 'watch.ignore[1]' });
  });
});
