import { useElementSize } from '../components/charts/useElementSize';
import { BatchDialog } from '../features/batches/BatchDialog';
import { ConfigChangedBanner } from '../features/config/ConfigChangedBanner';
import { ConfigDialog } from '../features/config/ConfigDialog';
import { DetailTabs } from '../features/detail/DetailTabs';
import { HelpDialog } from '../features/help/HelpDialog';
import { useKeyboardShortcuts } from '../features/help/useKeyboardShortcuts';
import { JobSignalDialog } from '../features/jobs/JobSignalDialog';
import { JOB_FILTER_ID, JobsTable } from '../features/jobs/JobsTable';
import { KillConfirmDialog } from '../features/jobs/KillConfirmDialog';
import { COMMAND_INPUT_ID } from '../features/launch/LaunchForm';
import { LaunchPanel } from '../features/launch/LaunchPanel';
import { LogPane } from '../features/logs/LogPane';
import { SystemView } from '../features/system/SystemView';
import { JOB_GRID_FULL_WIDTH, NARROW_WINDOW } from '../lib/layout';
import { useMediaQuery } from '../lib/useMediaQuery';
import { useNavigationStore } from '../stores/navigationStore';
import { Notices } from './chrome/Notices';
import { TopBar } from './chrome/TopBar';
import { ViewTabs } from './chrome/ViewTabs';

const SHORTCUT_TARGETS = { command: COMMAND_INPUT_ID, filter: JOB_FILTER_ID };

export function App() {
  const narrow = useMediaQuery(NARROW_WINDOW);
  useKeyboardShortcuts(SHORTCUT_TARGETS, narrow);
  const view = useNavigationStore((state) => state.view);
  const [columnRef, column] = useElementSize<HTMLDivElement>();
  const compactGrid = column.width > 0 && column.width < JOB_GRID_FULL_WIDTH;
  return (
    <div className="app">
      <TopBar />
      <ViewTabs />
      <Notices />
      <ConfigChangedBanner />
      <main className="workspace" id="view-jobs" aria-labelledby="view-tab-jobs" hidden={view !== 'jobs'} data-narrow={narrow || undefined}>
        <LaunchPanel folded={narrow} />
        <div className="main-column" ref={columnRef}>
          <JobsTable compact={compactGrid} launchFolded={narrow} />
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
      <ConfigDialog />
    </div>
  );
}
