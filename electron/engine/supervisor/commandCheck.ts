import { resolve } from 'node:path';
import type { JobSpec, SpecWarning } from '../../../shared/jobSpec';
import { EngineError } from '../engineError';
import { buildEnv, resolveProgram, type LaunchDefaults } from './launchPlan';

/**
 * The PATH /bin/sh searches when the job's environment has none (dash's and bash's built-in
 * default): a shell job without PATH still finds /bin/ls.
 */
export const SHELL_DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Reserved words: a script starting with one is a compound command, whatever follows. */
const KEYWORDS = new Set(['!', '{', '}', '[[', ']]', 'case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while']);

/** Builtins of POSIX sh, dash and bash: they are not files, and most have no file of their name. */
const BUILTINS = new Set([
  '.', ':', '[', 'alias', 'bg', 'bind', 'break', 'builtin', 'caller', 'cd', 'command', 'compgen', 'complete', 'compopt', 'continue',
  'declare', 'dirs', 'disown', 'echo', 'enable', 'eval', 'exec', 'exit', 'export', 'false', 'fc', 'fg', 'getopts', 'hash', 'help',
  'history', 'jobs', 'kill', 'let', 'local', 'logout', 'mapfile', 'popd', 'printf', 'pushd', 'pwd', 'read', 'readarray', 'readonly',
  'return', 'set', 'shift', 'shopt', 'source', 'suspend', 'test', 'times', 'trap', 'true', 'type', 'typeset', 'ulimit', 'umask',
  'unalias', 'unset', 'wait',
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
/** Characters that end a word outside quotes. */
const METACHARACTERS = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

interface Word {
  text: string;
  /** Quoting, an escape, an expansion or a glob: what the shell will run cannot be read from the text alone. */
  dynamic: boolean;
  end: number;
}

/** Reads one shell word from `start` (quotes kept in the text, as the shell sees them before removal). */
function readWord(script: string, start: number): Word | undefined {
  let i = start;
  let dynamic = false;
  while (i < script.length && !METACHARACTERS.has(script[i]!)) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      dynamic = true;
      const close = script.indexOf(c, i + 1);
      // An unclosed quote: the shell reports a syntax error, which is not a missing command.
      if (close < 0) return undefined;
      i = close + 1;
      continue;
    }
    if (c === '\\') {
      dynamic = true;
      i += 2;
      continue;
    }
    if ('$`*?[~'.includes(c)) dynamic = true;
    i++;
  }
  return i === start ? undefined : { text: script.slice(start, i), dynamic, end: i };
}

function skipBlanksAndComments(script: string, start: number): number {
  let i = start;
  for (;;) {
    while (i < script.length && ' \t\n'.includes(script[i]!)) i++;
    if (script[i] !== '#') return i;
    while (i < script.length && script[i] !== '\n') i++;
  }
}

/**
 * The program a shell script runs first, when its text says so plainly: after leading
 * assignments (`A=1 cmd`), unless it is a keyword, a builtin, a function being defined, a
 * redirection, a subshell, or a word with quotes, escapes or expansions (what it names is only
 * known when the shell runs it). Undefined when it cannot be told.
 */
export function shellFirstCommand(script: string): string | undefined {
  let i = skipBlanksAndComments(script, 0);
  for (;;) {
    if (i >= script.length || METACHARACTERS.has(script[i]!)) return undefined;
    const word = readWord(script, i);
    if (!word) return undefined;
    if (ASSIGNMENT.test(word.text)) {
      i = word.end;
      while (i < script.length && ' \t'.includes(script[i]!)) i++;
      continue;
    }
    // `2>file cmd`: a redirection first; rare enough to leave alone.
    if (/^\d+$/.test(word.text) && (script[word.end] === '>' || script[word.end] === '<')) return undefined;
    if (word.dynamic || KEYWORDS.has(word.text) || BUILTINS.has(word.text)) return undefined;
    // `name() { …; }` defines a function: nothing runs yet.
    let after = word.end;
    while (after < script.length && ' \t'.includes(script[after]!)) after++;
    if (script[after] === '(') return undefined;
    return word.text;
  }
}

function warningOf(error: unknown, field: string, suffix = ''): SpecWarning[] {
  if (error instanceof EngineError && (error.code === 'COMMAND_NOT_FOUND' || error.code === 'NOT_EXECUTABLE')) {
    return [{ field, message: `${error.message}${suffix}` }];
  }
  throw error;
}

/**
 * What would probably make a job fail as soon as it starts, found without starting it: a
 * program that is not in the job's own PATH (its spec's environment over the one jobs start
 * from). For a shell command, its first program when the text names one plainly; the shell
 * may still define it (an alias, a function, something the script sets up), so that is a
 * warning the operator may override, never a refusal. Read-only: nothing is started or kept.
 */
export function checkCommand(spec: JobSpec, defaults: LaunchDefaults): SpecWarning[] {
  const cwd = spec.cwd ? resolve(defaults.cwd, spec.cwd) : defaults.cwd;
  const env = buildEnv(spec, defaults.env);
  if (spec.command.kind === 'argv') {
    try {
      resolveProgram(spec.command.program, cwd, env.PATH);
      return [];
    } catch (error) {
      return warningOf(error, 'command.program');
    }
  }
  const program = shellFirstCommand(spec.command.script);
  if (program === undefined) return [];
  try {
    resolveProgram(program, cwd, env.PATH ?? SHELL_DEFAULT_PATH);
    return [];
  } catch (error) {
    return warningOf(error, 'command.script', '; the shell may still define it (an alias or a function)');
  }
}
