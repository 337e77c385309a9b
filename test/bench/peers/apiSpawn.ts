// Short jobs through Procdeck's WebSocket API against a plain child_process.spawn loop at the
// same concurrency, alternating, in one run: what `BENCH_JOBS=500 npm run bench -- spawn`
// measures for the engine in-process, measured here from outside the server process.
import { rawSpawnLoop } from '../spawn.bench';
import type { ProcdeckPeer } from './procdeckPeer';

export interface ApiSpawnRound {
  rawMs: number;
  apiMs: number;
}

/** `rounds` × (raw loop, then `count` × /bin/true through the API); the peer's pool limit must already be `concurrency`. */
export async function apiSpawnRounds(peer: ProcdeckPeer, count: number, concurrency: number, rounds: number): Promise<ApiSpawnRound[]> {
  const results: ApiSpawnRound[] = [];
  await rawSpawnLoop(50, 4); // warm up
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    await rawSpawnLoop(count, concurrency);
    const rawMs = performance.now() - started;

    started = performance.now();
    const ids = await peer.startJobs(Array.from({ length: count }, () => ({ command: { kind: 'argv', program: '/bin/true' }, stdin: 'closed' })));
    await peer.allEnded(ids);
    const apiMs = performance.now() - started;
    results.push({ rawMs, apiMs });
    // The next round starts from an empty job list, as this one did.
    await Promise.all(ids.map((jobId) => peer.invoke('jobs.remove', { jobId })));
  }
  return results;
}
