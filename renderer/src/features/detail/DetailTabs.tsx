import { useRef, type ComponentType, type KeyboardEvent } from 'react';
import { useNavigationStore, type DetailTab } from '../../stores/navigationStore';
import { useSchedulingStore } from '../../stores/schedulingStore';
import { BatchesPanel } from '../batches/BatchesPanel';
import { ChartsPanel } from '../charts/ChartsPanel';
import { CpuPanel } from '../cpu/CpuPanel';
import { GroupsPanel } from '../groups/GroupsPanel';
import { JobLimitsPanel } from '../isolation/JobLimitsPanel';
import { JobMonitorPanel } from '../monitor/JobMonitorPanel';

const TABS: readonly { id: DetailTab; label: string }[] = [
  { id: 'charts', label: 'Charts' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'cpu', label: 'CPU' },
  { id: 'batches', label: 'Batches' },
  { id: 'groups', label: 'Groups' },
  { id: 'limits', label: 'Limits' },
];

const PANELS: Record<DetailTab, ComponentType> = {
  charts: ChartsPanel,
  monitor: JobMonitorPanel,
  cpu: CpuPanel,
  batches: BatchesPanel,
  groups: GroupsPanel,
  limits: JobLimitsPanel,
};

/** The panels beside the log, one at a time (only the shown one renders and subscribes). */
export function DetailTabs() {
  const active = useNavigationStore((state) => state.detailTab);
  const runningBatches = useSchedulingStore(
    (state) => Object.values(state.batches).filter((batch) => batch.finishedAt === undefined).length,
  );
  const tabRefs = useRef<Partial<Record<DetailTab, HTMLButtonElement | null>>>({});
  const Panel = PANELS[active];

  // Arrow keys move between tabs and show them, as in the WAI-ARIA tabs pattern.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.id === active);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target = event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : step !== 0 ? (index + step + TABS.length) % TABS.length : -1;
    if (target < 0) return;
    event.preventDefault();
    const next = TABS[target]!.id;
    useNavigationStore.getState().setDetailTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="detail-tabs">
      <div role="tablist" aria-label="Details" className="tab-list" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              tabRefs.current[tab.id] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === active}
            aria-controls={`tabpanel-${tab.id}`}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => useNavigationStore.getState().setDetailTab(tab.id)}
          >
            {tab.label}
            {tab.id === 'batches' && runningBatches > 0 && <span className="tab-count">{runningBatches}</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${active}`} aria-labelledby={`tab-${active}`} className="tab-panel">
        <Panel />
      </div>
    </div>
  );
}
