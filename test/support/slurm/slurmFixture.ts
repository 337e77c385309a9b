import { afterAll, beforeAll, describe, it } from 'vitest';
import { LocalSlurm, slurmUnavailableReason, type LocalSlurmOptions } from './localSlurm';

/**
 * `describe` for tests that need Slurm. Where Slurm cannot run (not installed, not root) the
 * suite is skipped with the reason in its name and in a banner on stderr; with
 * PROCDECK_REQUIRE_SLURM=1 (set by .ci/run, which installs Slurm) that is a failure instead,
 * so CI never skips them silently.
 */
export function describeIfSlurm(name: string, body: () => void): void {
  const why = slurmUnavailableReason();
  if (why && process.env.PROCDECK_REQUIRE_SLURM === '1') {
    describe(name, () => {
      it('has a Slurm to test against', () => {
        throw new Error(`${why} (PROCDECK_REQUIRE_SLURM=1: these tests must run here)`);
      });
    });
  } else if (why) {
    const line = '!'.repeat(100);
    console.warn(`\n${line}\n!! SKIPPED: "${name}" (real Slurm tests): ${why}\n${line}\n`);
    describe.skip(`${name} [SKIPPED: ${why}]`, body);
  } else {
    describe(name, body);
  }
}

/** `describeIfSlurm` with a real single-node Slurm started once for the suite and torn down after it. */
export function describeWithSlurm(name: string, options: LocalSlurmOptions, body: (cluster: () => LocalSlurm) => void): void {
  describeIfSlurm(name, () => {
    let cluster: LocalSlurm | undefined;
    beforeAll(async () => {
      cluster = await LocalSlurm.start(options);
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    }, 120_000);
    body(() => {
      if (!cluster) throw new Error('the Slurm test cluster did not start (see the error of beforeAll)');
      return cluster;
    });
  });
}
