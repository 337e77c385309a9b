import { join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../../shared/lazySchema';
import { readJsonOrSetAside, writeJsonAtomic } from '../store/atomicJson';

/**
 * Which job each name of the config file in force is (`<data dir>/declared.json`), so that
 * loading the file again after a restart finds the same jobs (and their history) instead of
 * making new ones. Until the definitions store knows `origin: 'config'`, this is where it lives.
 */
const declaredStateSchema = lazySchema(() => z.object({
  file: z.string(),
  jobs: z.record(z.string(), z.string()),
}));
export type DeclaredState = z.infer<typeof declaredStateSchema>;

export class DeclaredStateFile {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'declared.json');
  }

  /** The saved state, or none; an unreadable file is set aside and described. */
  load(): { state?: DeclaredState; problem?: string } {
    const read = readJsonOrSetAside(this.path, declaredStateSchema, 'the declared jobs (declared.json)');
    return { state: read.value, problem: read.problem };
  }

  save(state: DeclaredState): void {
    writeJsonAtomic(this.path, state);
  }
}
