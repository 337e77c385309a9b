import { Cron } from 'croner';
import { EngineError } from '../engineError';
import type { MissedPolicy, OverlapPolicy, ScheduleDefinition, ScheduleInput } from './scheduleSpec';

const MAX_CRON_CHARS = 200;
const OVERLAP: readonly OverlapPolicy[] = ['skip', 'queue', 'allow'];
const MISSED: readonly MissedPolicy[] = ['skip', 'run-once'];

const invalid = (field: string, message: string) => new EngineError('INVALID_SPEC', `${field}: ${message}`, field);

/** Checks a schedule and reads its expression once; every refusal names the field (prefixed by `field`). */
export function parseSchedule(input: ScheduleInput, field = 'schedule'): ScheduleDefinition {
  if (input === null || typeof input !== 'object') throw invalid(field, 'give a cron expression');
  const { cron } = input;
  if (typeof cron !== 'string' || cron.trim() === '') throw invalid(`${field}.cron`, 'the cron expression is empty');
  if (cron.length > MAX_CRON_CHARS) throw invalid(`${field}.cron`, `the cron expression is longer than ${MAX_CRON_CHARS} characters`);
  const timezone = parseTimezone(input.timezone, `${field}.timezone`);
  const overlap = input.overlap ?? 'skip';
  if (!OVERLAP.includes(overlap)) throw invalid(`${field}.overlap`, `${JSON.stringify(overlap)} is not an overlap policy (use ${OVERLAP.join(', ')})`);
  const missed = input.missed ?? 'skip';
  if (!MISSED.includes(missed)) throw invalid(`${field}.missed`, `${JSON.stringify(missed)} is not a missed-run policy (use ${MISSED.join(', ')})`);
  let pattern: Cron;
  try {
    // No callback: croner only reads the expression and never arms a timer for it.
    pattern = new Cron(cron.trim(), { timezone, mode: 'auto' });
  } catch (error) {
    throw invalid(`${field}.cron`, `${JSON.stringify(cron)} is not a cron expression: ${(error as Error).message.replace(/^CronPattern: /, '')}`);
  }
  if (pattern.nextRun() === null) throw invalid(`${field}.cron`, `${JSON.stringify(cron)} never fires`);
  return { cron: cron.trim(), timezone, overlap, missed, pattern };
}

/** "local" and nothing mean the machine's zone (undefined); anything else must be a zone ICU knows. */
function parseTimezone(timezone: string | undefined, field: string): string | undefined {
  if (timezone === undefined || timezone === 'local') return undefined;
  if (typeof timezone !== 'string' || timezone.trim() === '') throw invalid(field, 'give "local", "UTC" or a zone name like "Europe/Berlin"');
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw invalid(field, `${JSON.stringify(timezone)} is not a time zone (use "local", "UTC" or a name like "Europe/Berlin")`);
  }
}

