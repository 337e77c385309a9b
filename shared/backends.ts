import { z } from 'zod';
import { lazySchema } from './lazySchema';

/** Where jobs can run and whether each place can take jobs now: what the launch form's "Where" offers. */
export const backendDescriptionSchema = lazySchema(() => z.object({
  kind: z.enum(['local', 'slurm']),
  available: z.boolean(),
  /** Why it is not available, in its own words (sbatch missing, the controller not answering), or what it is. */
  detail: z.string(),
  /** A cluster's partitions, its default first. */
  partitions: z.array(z.string()).optional(),
}));
export type BackendDescriptionInfo = z.infer<typeof backendDescriptionSchema>;
