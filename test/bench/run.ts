// Runs every benchmark (on demand: `npm run bench`, or `npm run bench -- spawn` for one;
// `npm run bench -- peers`, the comparison with PM2 and supervisord, and `-- slurm` run only when named).
// Each prints its figures as ratios against a baseline measured in the same run.
import { runBatchBench } from './batch.bench';
import { runEntryEncoderBench } from './entryEncoder.bench';
import { runLaunchChainBench } from './launchChain.bench';
import { runLogIngestBench } from './logIngest.bench';
import { runLogOrderBench } from './logOrder.bench';
import { runLogSearchBench } from './logSearch.bench';
import { runPeerCheckBench } from './peerCheck.bench';
import { runPeersBench } from './peers.bench';
import { runSamplingBench } from './sampling.bench';
import { runSlurmBench } from './slurm.bench';
import { runSpawnBench } from './spawn.bench';
import { runStopBench } from './stop.bench';
import { runUiBench } from './ui.bench';

const benches: Record<string, () => Promise<void>> = {
  spawn: () => runSpawnBench(),
  stop: runStopBench,
  batch: () => runBatchBench(),
  logs: runLogIngestBench,
  'entry-encoder': runEntryEncoderBench,
  'log-order': runLogOrderBench,
  'log-search': runLogSearchBench,
  ui: runUiBench,
  sampling: async () => void (await runSamplingBench()),
  launch: runLaunchChainBench,
  'peer-check': runPeerCheckBench,
  // Needs the local Slurm cluster (test/support/slurm); only when asked for by name.
  slurm: async () => void (await runSlurmBench()),
  // Procdeck against PM2 and supervisord (~25 min): only when asked for by name.
  peers: runPeersBench,
};
const onDemandOnly = new Set(['peers', 'slurm']);

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 ? !wanted.includes(name) : onDemandOnly.has(name)) continue;
  await run();
  console.log();
}
