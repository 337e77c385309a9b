import { parseExitCode } from './scontrolJob';
import { parseSlurmDuration, parseSlurmSize } from './slurmUnits';

/** The fields asked of `sacct -n -P`, in this order; the name last, since it may hold the '|' that -P separates with. */
export const SACCT_FORMAT = 'JobID,State,ExitCode,Start,End,Elapsed,TotalCPU,MaxRSS,NodeList,AllocCPUS,JobName';

/** One job or step as the accounting database has it (kept after slurmctld forgets the job). */
export interface AccountingRecord {
  /** "123", "123.batch", "123.0", "123_4"… */
  id: string;
  name: string;
  /** "COMPLETED", "CANCELLED" (sacct's "CANCELLED by 0" without the "by"), … */
  slurmState: string;
  exitCode?: number;
  signal?: number;
  startedAt?: number;
  endedAt?: number;
  elapsedSeconds?: number;
  cpuSeconds?: number;
  maxRssBytes?: number;
  nodes: string;
  cpus?: number;
}

export type AccountingResult =
  | { available: true; records: AccountingRecord[] }
  /** `message` is Slurm's own ("Slurm accounting storage is disabled"). */
  | { available: false; message: string };

/** sacct's times are local ISO ("2026-12-01T20:22:36"), or "Unknown"/"None". */
function localTime(text: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return undefined;
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

const positiveInt = (text: string) => (/^\d+$/.test(text) ? Number(text) : undefined);

export function parseSacct(stdout: string): AccountingRecord[] {
  const records: AccountingRecord[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.split('|');
    if (f.length < 11 || !/^\d+/.test(f[0]!)) continue;
    const exit = parseExitCode(f[2]);
    records.push({
      id: f[0]!,
      name: f.slice(10).join('|'),
      slurmState: f[1]!.split(' ')[0]!,
      exitCode: exit?.code,
      signal: exit?.signal,
      startedAt: localTime(f[3]!),
      endedAt: localTime(f[4]!),
      elapsedSeconds: parseSlurmDuration(f[5]!),
      cpuSeconds: parseSlurmDuration(f[6]!),
      maxRssBytes: parseSlurmSize(f[7]!),
      nodes: f[8]!,
      cpus: positiveInt(f[9]!),
    });
  }
  return records;
}
