/**
 * `scontrol -d show job -o ID`: one line per job of `Key=value` fields separated by spaces
 * (22.05 has no `scontrol --json`). A value may hold spaces (a job name, a directory), so a
 * token that is not `Key=` continues the previous value; a value holding " Key=" would
 * read as a field, so a field Procdeck reads that appears twice makes the record ambiguous
 * and it is refused rather than guessed (Procdeck's own submissions cannot contain one).
 */
export interface ScontrolJob {
  fields: ReadonlyMap<string, string>;
  /** Per node of the allocation (`-d`): the node and Slurm's CPU ids on it. */
  allocation: { node: string; cpuIds: number[] }[];
}

/** Fields `-d` repeats once per allocated node. */
const PER_NODE = new Set(['Nodes', 'CPU_IDs', 'Mem', 'GRES']);

export const READ_FIELDS = ['JobId', 'JobState', 'Reason', 'ExitCode', 'NodeList', 'BatchHost', 'NumCPUs', 'StdOut', 'StdErr', 'WorkDir', 'RunTime'] as const;

export class AmbiguousRecordError extends Error {}

const KEY = /^([A-Z][A-Za-z0-9_:/]*)=(.*)$/s;

function tokens(line: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const token of line.split(' ')) {
    const m = KEY.exec(token);
    if (m) pairs.push([m[1]!, m[2]!]);
    else if (pairs.length > 0) pairs[pairs.length - 1]![1] += ` ${token}`;
  }
  // `-o` pads the line with a trailing space, which became a trailing " " on the last value.
  if (pairs.length > 0) pairs[pairs.length - 1]![1] = pairs[pairs.length - 1]![1].trimEnd();
  return pairs;
}

/** "0-2,5" -> [0, 1, 2, 5] (Slurm's CPU id list syntax). */
export function parseIdList(text: string): number[] {
  const ids: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return [];
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let id = from; id <= to && id - from < 65_536; id++) ids.push(id);
  }
  return ids;
}

export function parseScontrolJob(line: string): ScontrolJob {
  const fields = new Map<string, string>();
  const allocation: ScontrolJob['allocation'] = [];
  const readOnce = new Set<string>(READ_FIELDS);
  for (const [key, value] of tokens(line)) {
    if (PER_NODE.has(key)) {
      if (key === 'Nodes') allocation.push({ node: value, cpuIds: [] });
      else if (key === 'CPU_IDs' && allocation.length > 0) allocation[allocation.length - 1]!.cpuIds = parseIdList(value);
      continue;
    }
    if (fields.has(key) && readOnce.has(key)) {
      throw new AmbiguousRecordError(`scontrol's record has ${key}= twice (a value holds " ${key}="), so it cannot be read reliably`);
    }
    fields.set(key, value);
  }
  return { fields, allocation };
}

/** "3:0" -> exit code 3, signal 0 (scontrol's ExitCode=code:signal). */
export function parseExitCode(text: string | undefined): { code: number; signal: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  return m ? { code: Number(m[1]), signal: Number(m[2]) } : undefined;
}
