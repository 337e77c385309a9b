import { waitFor } from '../../support/wait';
import { newMarker } from './figures';
import { sleep } from './peer';
import { MarkedProcesses } from './procfs';
import { ProcdeckPeer } from './procdeckPeer';

export interface SettledSleepersOptions {
  label: string;
  /** The server command (argv), as ProcdeckPeer takes it. */
  command: string[];
  count: number;
  sampleMs: number;
  settleMs: number;
}

/**
 * A server supervising `count` running `sleep` jobs, quiet for `settleMs` after the last one
 * started (the tick benches' set-up), handed to `use`; the server is closed after it.
 * `marker` names the jobs' processes (managerProcesses leaves them out).
 */
export async function withSettledSleepers<T>(options: SettledSleepersOptions, use: (peer: ProcdeckPeer, marker: string) => Promise<T>): Promise<T> {
  const { label, command, count, sampleMs, settleMs } = options;
  const marker = newMarker();
  const peer = new ProcdeckPeer({ label, settings: { maxConcurrent: 128, sampleIntervalMs: sampleMs }, command });
  await peer.launch({ sleepers: { count, marker, autostart: false } });
  try {
    const jobs = new MarkedProcesses(marker);
    await peer.startSleepers();
    await waitFor(() => jobs.scan().length >= count, `${count} jobs running`, 120_000);
    await sleep(settleMs);
    return await use(peer, marker);
  } finally {
    await peer.close();
  }
}
