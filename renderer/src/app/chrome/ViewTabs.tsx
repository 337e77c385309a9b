import { TabList, type Tab } from '../../components/TabList';
import { useNavigationStore, type MainView } from '../../stores/navigationStore';

const VIEWS: readonly Tab<MainView>[] = [
  { id: 'jobs', label: 'Jobs' },
  { id: 'system', label: 'System' },
];

const tabId = (view: MainView) => `view-tab-${view}`;
const panelId = (view: MainView) => `view-${view}`;

/** Switches between Procdeck's jobs and the whole machine. */
export function ViewTabs() {
  const view = useNavigationStore((state) => state.view);
  return (
    <TabList
      tabs={VIEWS}
      selected={view}
      onSelect={useNavigationStore.getState().setView}
      label="Views"
      tabId={tabId}
      panelId={panelId}
      className="view-tabs"
    />
  );
}
