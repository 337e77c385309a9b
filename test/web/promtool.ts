import { spawnSync } from 'node:child_process';

/**
 * What promtool says about prom-client's own default metrics: these Node.js gauges carry a
 * `_total` suffix by prom-client's naming (nodejs_active_handles_total…). They are exactly
 * these; any other complaint, about our metrics or theirs, fails the check.
 */
export const PROM_CLIENT_LINT = [
  'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
  'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
];

export interface PromtoolVerdict {
  /** 0: clean, 1: the exposition does not parse, 3: lint problems only. */
  status: number;
  problems: string[];
}

/**
 * `promtool check metrics` (Debian's prometheus package) on an exposition. A missing promtool
 * fails loudly: this check is never skipped.
 */
export function promtoolCheck(exposition: string): PromtoolVerdict {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'promtool is not installed: apt-get install -y prometheus (.ci/run installs it when missing)' : `promtool failed to run: ${run.error.message}`);
  }
  const problems = `${run.stdout}${run.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean);
  return { status: run.status ?? -1, problems };
}
