import { escapeRegExp } from '../../../shared/safeRegex';
import { EngineError } from '../engineError';

/**
 * Ignore globs, read the way .gitignore reads them (chokidar 4+ takes no globs, and Node 20's
 * path.matchesGlob is experimental):
 * - a glob without "/" is matched against every name on the path: `node_modules`, `*.log`, `.git`;
 * - a glob with "/" is matched against the path relative to the watched root: `build/**`,
 *   `src/*.gen.ts` (a leading "/" changes nothing, a trailing "/" is dropped);
 * - whatever lies under an ignored directory is ignored with it.
 * Syntax: `*` (any run of characters but "/"), `?` (one), `**` (any number of directories),
 * `[abc]`, `[a-z]`, `[!a]`, `{a,b}`, and `\` to escape.
 */
export interface GlobMatcher {
  /** `relative` uses "/" and has no leading "./"; "" is the root itself, never ignored. */
  ignores(relative: string): boolean;
}

export function compileIgnoreGlobs(globs: readonly string[], field: string): GlobMatcher {
  const names: RegExp[] = [];
  const anchored: RegExp[] = [];
  globs.forEach((glob, index) => {
    const where = `${field}[${index}]`;
    if (typeof glob !== 'string' || glob.trim() === '') throw new EngineError('INVALID_SPEC', `${where}: the glob is empty`, where);
    const text = glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    if (text.includes('/')) anchored.push(globToRegExp(text.replace(/^\/+/, ''), where));
    else names.push(globToRegExp(text, where));
  });
  return {
    ignores(relative) {
      if (relative === '') return false;
      const segments = relative.split('/');
      if (names.length && segments.some((segment) => names.some((name) => name.test(segment)))) return true;
      if (!anchored.length) return false;
      for (let end = 1; end <= segments.length; end++) {
        const prefix = segments.slice(0, end).join('/');
        if (anchored.some((glob) => glob.test(prefix))) return true;
      }
      return false;
    },
  };
}

export function globToRegExp(glob: string, field: string): RegExp {
  let source = '';
  let inBraces = false;
  const segments = glob.split('/');
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const last = s === segments.length - 1;
    if (segment === '**') {
      // "a/**/b" matches a/b too; a trailing "**" matches everything below.
      source += last ? '.*' : '(?:[^/]*/)*';
      continue;
    }
    for (let i = 0; i < segment.length; i++) {
      const char = segment[i]!;
      if (char === '\\') {
        const next = segment[i + 1];
        if (next === undefined) throw new EngineError('INVALID_SPEC', `${field}: "${glob}" ends with a lone "\\"`, field);
        source += escapeRegExp(next);
        i += 1;
      } else if (char === '*') {
        source += '[^/]*';
        if (segment[i + 1] === '*') throw new EngineError('INVALID_SPEC', `${field}: "${glob}": "**" must be a whole path segment (like a/**/b)`, field);
      } else if (char === '?') {
        source += '[^/]';
      } else if (char === '[') {
        const close = segment.indexOf(']', i + 2);
        if (close < 0) throw new EngineError('INVALID_SPEC', `${field}: "${glob}" has a "[" without its "]"`, field);
        let body = segment.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        source += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
        i = close;
      } else if (char === '{') {
        if (inBraces) throw new EngineError('INVALID_SPEC', `${field}: "${glob}": braces cannot nest`, field);
        inBraces = true;
        source += '(?:';
      } else if (char === '}' && inBraces) {
        inBraces = false;
        source += ')';
      } else if (char === ',' && inBraces) {
        source += '|';
      } else {
        source += escapeRegExp(char);
      }
    }
    if (!last) source += '/';
  }
  if (inBraces) throw new EngineError('INVALID_SPEC', `${field}: "${glob}" has a "{" without its "}"`, field);
  return new RegExp(`^${source}$`);
}

