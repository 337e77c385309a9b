import { call } from '../api/procdeck';
import { useMachineStore } from '../stores/machineStore';

/**
 * The host sends system.tick only to a viewer whose system view is open, from its next tick on:
 * a panel that opens shows the machine's figures at once from one system.stats.
 */
export async function showMachineFiguresNow(): Promise<void> {
  const stats = await call('system.stats', {});
  if (stats.ok) useMachineStore.getState().applyTick(stats.value);
}
