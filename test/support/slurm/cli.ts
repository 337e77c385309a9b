// A developer's handle on the test cluster: `npx tsx test/support/slurm/cli.ts` starts one,
// prints the line that points Slurm's clients at it, and tears it down on Ctrl-C (or SIGTERM).
import { LocalSlurm } from './localSlurm';

const cluster = await LocalSlurm.start();
console.log(`export SLURM_CONF=${cluster.paths.conf}`);
if (cluster.restSocket) console.log(`# slurmrestd: curl --unix-socket ${cluster.restSocket} http://localhost/slurm/v0.0.38/ping`);
console.log(`# node ${cluster.nodeName}, ${cluster.cpus} CPUs, work dir ${cluster.paths.workDir}; Ctrl-C stops it`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  cluster.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keeps the process alive until a signal arrives.
setInterval(() => undefined, 1 << 30);
