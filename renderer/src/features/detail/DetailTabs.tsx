import { useMemo, type ComponentType } from 'react';
import { TabList, type Tab } from '../../components/TabList';
import { useNavigationStore, type DetailTab } from '../../stores/navigationStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { BatchesPanel } from '../batches/BatchesPanel';
import { ChartsPanel } from '../charts/ChartsPanel';
import { CpuPanel } from '../cpu/CpuPanel';
import { GroupsPanel } from '../groups/GroupsPanel';
import { JobLimitsPanel } from '../isolation/JobLimitsPanel';
import { JobMonitorPanel } from '../monitor/JobMonitorPanel';
import { RunsPanel } from '../runs/RunsPanel';

const TABS: readonly { id: DetailTab; label: string }[] = [
  { id: 'charts', label: 'Charts' },
  { id: 'runs', label: 'Runs' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'cpu', label: 'CPU' },
  { id: 'batches', label: 'Batches' },
  { id: 'groups', label: 'Groups' },
  { id: 'limits', label: 'Limits' },
];

const PANELS: Record<DetailTab, ComponentType> = {
  charts: ChartsPanel,
  runs: RunsPanel,
  monitor: JobMonitorPanel,
  cpu: CpuPanel,
  batches: BatchesPanel,
  groups: GroupsPanel,
  limits: JobLimitsPanel,
};

const tabId = (tab: DetailTab) => `tab-${tab}`;
const panelId = (tab: DetailTab) => `tabpanel-${tab}`;

/** The panels beside the log, one at a time (only the shown one renders and subscribes). */
export function DetailTabs() {
  const active = useNavigationStore((state) => state.detailTab);
  const runningBatches = useSchedulingStore(
    (state) => Object.values(state.batches).filter((batch) => batch.finishedAt === undefined).length,
  );
  const tabs = useMemo(
    (): Tab<DetailTab>[] =>
      TABS.map((tab) => ({
        id: tab.id,
        label: (
          <>
            {tab.label}
            {tab.id === 'batches' && runningBatches > 0 && <span className="tab-count">{runningBatches}</span>}
          </>
        ),
      })),
    [runningBatches],
  );
  const Panel = PANELS[active];

  return (
    <div className="detail-tabs">
      <TabList tabs={tabs} selected={active} onSelect={useNavigationStore.getState().setDetailTab} label="Details" tabId={tabId} panelId={panelId} />
      <div role="tabpanel" id={panelId(active)} aria-labelledby={tabId(active)} className="tab-panel">
        <Panel />
      </div>
    </div>
  );
}
