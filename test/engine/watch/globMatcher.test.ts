import { describe, expect, it } from 'vitest';
import { compileIgnoreGlobs } from '../../../electron/engine/watch/globMatcher';

describe('ignore globs', () => {
  it('a glob without "/" matches a name anywhere, and everything under it', () => {
    const matcher = compileIgnoreGlobs(['node_modules', '.git', '*.log', 'tmp?'], 'watch.ignore');
    for (const path of ['node_modules', 'a/node_modules/x.js', '.git/HEAD', 'app.log', 'logs/today.log', 'tmp1/x']) expect(matcher.ignores(path), path).toBe(true);
    for (const path of ['', 'src/app.ts', 'node_modules_old/x', 'app.logs/x.ts', 'tmp12/x', '.github/workflow.yml']) expect(matcher.ignores(path), path).toBe(false);
  });

  it('a glob with "/" is matched from the watched root', () => {
    const matcher = compileIgnoreGlobs(['build/**', '/dist', 'src/*.gen.ts', 'docs/**/*.png', 'a/{x,y}/z', 'cache/[0-9]*', 'v[!0]/'], 'watch.ignore');
    for (const path of ['build/out.js', 'build/deep/er.js', 'dist', 'dist/app.js', 'src/api.gen.ts', 'docs/a.png', 'docs/x/y/a.png', 'a/x/z', 'a/y/z/more', 'cache/1abc', 'v1/file']) expect(matcher.ignores(path), path).toBe(true);
    for (const path of ['src/build/out.js', 'lib/dist', 'src/deep/api.gen.ts', 'docs/a.jpg', 'a/w/z', 'cache/abc', 'v0/file', 'buildx/a']) expect(matcher.ignores(path), path).toBe(false);
  });

  it('refuses globs it cannot read, naming the index', () => {
    expect(() => compileIgnoreGlobs(['ok', ''], 'watch.ignore')).toThrow(/^watch\.ignore\[1\]: the glob is empty$/);
    expect(() => compileIgnoreGlobs(['a[b'], 'watch.ignore')).toThrow(/"\[" without its "\]"/);
    expect(() => compileIgnoreGlobs(['{a,b'], 'watch.ignore')).toThrow(/"\{" without its "\}"/);
    expect(() => compileIgnoreGlobs(['a**b'], 'watch.ignore')).toThrow(/whole path segment/);
    expect(() => compileIgnoreGlobs(['{a,{b}}'], 'watch.ignore')).toThrow(/cannot nest/);
  });

  it('treats regex characters in globs literally', () => {
    const matcher = compileIgnoreGlobs(['a+b(1).txt', 'x.y'], 'watch.ignore');
    expect(matcher.ignores('a+b(1).txt')).toBe(true);
    expect(matcher.ignores('aab(1).txt')).toBe(false);
    expect(matcher.ignores('xzy')).toBe(false);
  });
});
