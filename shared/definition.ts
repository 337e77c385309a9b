import { z } from 'zod';
import { lazySchema } from './lazySchema';
import { jobSpecSchema } from './jobSpec';

/** Who made a definition: an operator (jobs.start), a batch (batches.submit); declared files come with the services issue. */
export const jobOriginSchema = lazySchema(() => z.enum(['operator', 'batch']));
export type JobOrigin = z.infer<typeof jobOriginSchema>;

/**
 * A job as a definition: what to run (its spec, which says where: `spec.where`), its name and
 * labels. Each execution of it is a run (shared/run.ts); the job's state in the list is its
 * latest run's, or what the scheduler decided instead of a run.
 */
export const jobDefinitionSchema = lazySchema(() => z.object({
  id: z.string(),
  /** The spec's name, or its command when it has none. */
  name: z.string(),
  spec: jobSpecSchema,
  labels: z.record(z.string().min(1).max(100), z.string().max(1000)).default({}),
  /** Epoch ms. */
  createdAt: z.number(),
  origin: jobOriginSchema.default('operator'),
  /** The batch it is an item of. */
  batchId: z.string().optional(),
}));
export type JobDefinition = z.infer<typeof jobDefinitionSchema>;
