import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { ConfigProblem, ConfigResult } from '../../../shared/config/problems';
import { formatProblem } from '../../../shared/config/problems';

/** The README's full example, read by the tests as the engine will get it. */
export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const EXAMPLE = join(FIXTURES, 'example.procdeck.yaml');

/** Real files in a temp directory per test, removed after it. */
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'procdeck-config-'));
  made.push(dir);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * A YAML text with one « marking where the problem is expected: the text without it, and the
 * marker's line and column (1-based), so a test says where, not which numbers.
 */
export function marked(text: string): { text: string; line: number; column: number } {
  const at = text.indexOf('«');
  if (at < 0) throw new Error('no « marker in the text');
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return { text: text.replace('«', ''), line, column };
}

export function errorsOf(result: ConfigResult): ConfigProblem[] {
  if (result.ok) throw new Error(`expected errors, the file was accepted with ${result.jobs.length} definitions`);
  expect(result).not.toHaveProperty('jobs');
  return result.errors;
}

export function jobsOf(result: ConfigResult) {
  if (!result.ok) throw new Error(`expected the file to be accepted:\n${result.errors.map(formatProblem).join('\n')}`);
  return result.jobs;
}

export const describeProblems = (problems: readonly ConfigProblem[]): string => problems.map(formatProblem).join('\n');
