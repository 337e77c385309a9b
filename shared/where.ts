import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { MAX_TIMEOUT_MS } from './limits';

/**
 * Where a job runs: this machine, or (the cluster issue) a Slurm cluster. The architecture
 * plan adds `where` to the job spec with only `{ kind: 'local' }`; this is the full union the
 * config file already parses, so files written for the cluster keep their meaning.
 */
export const localPlacementSchema = lazySchema(() => z.object({ kind: z.literal('local') }));

export const slurmPlacementSchema = lazySchema(() => z.object({
  kind: z.literal('slurm'),
  /** One partition name (sbatch --partition). */
  partition: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'partition must be one partition name (letters, digits, "-", "_", ".")').optional(),
  /** --cpus-per-task. */
  cpus: z.number().int().min(1).max(4096).optional(),
  /** --mem (the cluster rounds it up to whole MiB). */
  memoryBytes: z.number().int().positive().max(2 ** 50).optional(),
  /** --time (the cluster rounds it up to whole minutes). */
  timeLimitMs: z.number().int().positive().max(MAX_TIMEOUT_MS).optional(),
  /** --nodes. */
  nodes: z.number().int().min(1).max(100_000).optional(),
}));

export const placementSchema = lazySchema(() => z.discriminatedUnion('kind', [localPlacementSchema, slurmPlacementSchema]));
export type Placement = z.infer<typeof placementSchema>;
export const LOCAL_PLACEMENT: Placement = { kind: 'local' };
