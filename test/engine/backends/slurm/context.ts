import type { SlurmClient } from '../../../../electron/engine/backends/slurm/slurmClient';
import type { LocalSlurm } from '../../../support/slurm/localSlurm';

/** What every group of cluster tests gets: the running test cluster and a client pointed at it. */
export interface SlurmTestContext {
  cluster: () => LocalSlurm;
  client: () => SlurmClient;
}
