import { BatchDialog } from '../features/batches/BatchDialog';
import { DetailTabs } from '../features/detail/DetailTabs';
import { HelpDialog } from '../features/help/HelpDialog';
import { useKeyboardShortcuts } from '../features/help/useKeyboardShortcuts';
import { JobSignalDialog } from '../features/jobs/JobSignalDialog';
import { JOB_FILTER_ID, JobsTable } from '../features/jobs/JobsTable';
import { KillConfirmDialog } from '../features/jobs/KillConfirmDialog';
import { COMMAND_INPUT_ID, LaunchForm } from '../features/launch/LaunchForm';
import { LogPane } from '../features/logs/LogPane';
import { SystemView } from '../features/system/SystemView';
import { useNavigationStore } from '../stores/navigationStore';
import { Notices } from './chrome/Notices';
import { TopBar } from './chrome/TopBar';
import { ViewTabs } from './chrome/ViewTabs';

const SHORTCUT_TARGETS = { command: COMMAND_INPUT_ID, filter: JOB_FILTER_ID };

export function App() {
  useKeyboardShortcuts(SHORTCUT_TARGETS);
  const view = useNavigationStore((state) => state.view);
  return (
    <div className="app">
      <TopBar />
      <ViewTabs />
      <Notices />
      <main className="workspace" id="view-jobs" aria-labelledby="view-tab-jobs" hidden={view !== 'jobs'}>
        <aside className="sidebar">
          <LaunchForm />
        </aside>
        <div className="main-column">
          <JobsTable />
          <div className="detail">
            <LogPane />
            <DetailTabs />
          </div>
        </div>
      </main>
      {view === 'system' && <SystemView />}
      <KillConfirmDialog />
      <JobSignalDialog />
      <HelpDialog />
      <BatchDialog />
    </div>
  );
}
