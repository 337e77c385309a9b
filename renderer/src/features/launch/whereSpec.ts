import type { Placement } from '../../../../shared/where';

/** The launch form's "Where": this machine, or the Slurm cluster with what it asks of it (as typed). */
export interface WhereValues {
  kind: 'local' | 'slurm';
  partition: string;
  cpus: string;
  memoryMiB: string;
  timeLimitMinutes: string;
  nodes: string;
}

export const EMPTY_WHERE: WhereValues = { kind: 'local', partition: '', cpus: '', memoryMiB: '', timeLimitMinutes: '', nodes: '' };

/** The placement the form describes; a number the form cannot read is named here, the engine checks the rest. */
export function buildWhere(values: WhereValues): { where?: Placement } | { error: string } {
  if (values.kind === 'local') return {};
  const numbers: [keyof WhereValues, string][] = [
    ['cpus', 'CPUs'],
    ['memoryMiB', 'memory'],
    ['timeLimitMinutes', 'time limit'],
    ['nodes', 'nodes'],
  ];
  const read: Partial<Record<keyof WhereValues, number>> = {};
  for (const [key, what] of numbers) {
    const text = values[key].trim();
    if (text === '') continue;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) return { error: `enter the ${what} as a whole number of at least 1` };
    read[key] = n;
  }
  return {
    where: {
      kind: 'slurm',
      ...(values.partition !== '' && { partition: values.partition }),
      ...(read.cpus !== undefined && { cpus: read.cpus }),
      ...(read.memoryMiB !== undefined && { memoryBytes: read.memoryMiB * 1024 * 1024 }),
      ...(read.timeLimitMinutes !== undefined && { timeLimitMs: read.timeLimitMinutes * 60_000 }),
      ...(read.nodes !== undefined && { nodes: read.nodes }),
    },
  };
}
