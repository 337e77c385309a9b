import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import { groupNameSchema } from '../../../shared/scheduling';
import { readJsonOrSetAside, writeJsonAtomic } from './atomicJson';

const savedGroupSchema = lazySchema(() => z.object({
  /** The limit the operator set; null: taken off by hand (an older batch's limit does not come back). */
  limit: z.number().int().min(1).max(4096).nullable().optional(),
  paused: z.boolean().optional(),
  /** When the limit was set: a batch submitted after it with a limit of its own has the last word. */
  limitSetAt: z.number().optional(),
}));
export type SavedGroup = z.infer<typeof savedGroupSchema>;

const savedGroupsSchema = lazySchema(() => z.object({ version: z.literal(1), groups: z.record(groupNameSchema, savedGroupSchema) }));

export interface GroupChange {
  limit?: number | null;
  paused?: boolean;
}

/**
 * `groups.json`: what the operator set on a pool group by hand (groups.update: its limit, and
 * whether it is paused), so that a paused group stays paused and a limit holds after Procdeck
 * restarts, as a batch's limit (saved with its batch) does. Saved before it applies.
 */
export class GroupSettingsStore {
  problem?: string;
  private groups: Record<string, SavedGroup> = {};

  constructor(private readonly path: string) {}

  load(): Readonly<Record<string, SavedGroup>> {
    const { value, problem } = readJsonOrSetAside(this.path, savedGroupsSchema, 'the groups’ limits and pauses; none are in force');
    this.problem = problem;
    this.groups = value?.groups ?? {};
    return this.groups;
  }

  /** Throws if the file cannot be written; then nothing is changed. */
  save(name: string, change: GroupChange, at: number): void {
    const before = this.groups[name] ?? {};
    const after: SavedGroup = {
      ...before,
      ...(change.limit !== undefined && { limit: change.limit, limitSetAt: at }),
      ...(change.paused !== undefined && { paused: change.paused }),
    };
    const groups = { ...this.groups, [name]: after };
    writeJsonAtomic(this.path, { version: 1, groups });
    this.groups = groups;
  }
}
