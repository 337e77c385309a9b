// Runs every benchmark (on demand: `npm run bench`, or `npm run bench -- spawn` for one).
// Each prints its figures as ratios against a baseline measured in the same run.
import { runBatchBench } from './batch.bench';
import { runLaunchChainBench } from './launchChain.bench';
import { runLogIngestBench } from './logIngest.bench';
import { runLogOrderBench } from './logOrder.bench';
import { runSamplingBench } from './sampling.bench';
import { runSpawnBench } from './spawn.bench';
import { runUiBench } from './ui.bench';

const benches: Record<string, () => Promise<void>> = {
  spawn: () => runSpawnBench(),
  batch: () => runBatchBench(),
  logs: runLogIngestBench,
  'log-order': runLogOrderBench,
  ui: runUiBench,
  sampling: async () => void (await runSamplingBench()),
  launch: runLaunchChainBench,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run();
  console.log();
}
