import { AlertsPanel } from '../alerts/AlertsPanel';
import { MachinePanel } from './MachinePanel';
import { ProcessActionDialog } from './ProcessActionDialog';
import { ProcessTable } from './ProcessTable';
import { PROCESS_FILTER_ID } from './ProcessToolbar';
import { useSystemShortcuts } from './useSystemShortcuts';
import { useSystemViewLease } from './useSystemViewLease';
import { WatchedPanel } from '../watched/WatchedPanel';
import './system.css';

/** The whole machine: its load, every process on it, watched processes and alerts. Mounted only while shown. */
export function SystemView() {
  useSystemViewLease();
  useSystemShortcuts(PROCESS_FILTER_ID);
  return (
    <main className="system-view" id="view-system" aria-labelledby="view-tab-system">
      <div className="system-main">
        <MachinePanel />
        <ProcessTable />
      </div>
      <aside className="system-side">
        <WatchedPanel />
        <AlertsPanel />
      </aside>
      <ProcessActionDialog />
    </main>
  );
}
