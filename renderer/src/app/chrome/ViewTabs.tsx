import { useRef, type KeyboardEvent } from 'react';
import { useNavigationStore, type MainView } from '../../stores/navigationStore';

const VIEWS: readonly { id: MainView; label: string }[] = [
  { id: 'jobs', label: 'Jobs' },
  { id: 'system', label: 'System' },
];

/** Switches between Procdeck's jobs and the whole machine (WAI-ARIA tabs: arrows move and show). */
export function ViewTabs() {
  const view = useNavigationStore((state) => state.view);
  const refs = useRef<Partial<Record<MainView, HTMLButtonElement | null>>>({});

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = VIEWS.findIndex((entry) => entry.id === view);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = VIEWS[(index + step + VIEWS.length) % VIEWS.length]!.id;
    useNavigationStore.getState().setView(next);
    refs.current[next]?.focus();
  };

  return (
    <div role="tablist" aria-label="Views" className="view-tabs" onKeyDown={onKeyDown}>
      {VIEWS.map((entry) => (
        <button
          key={entry.id}
          ref={(element) => {
            refs.current[entry.id] = element;
          }}
          type="button"
          role="tab"
          id={`view-tab-${entry.id}`}
          aria-selected={entry.id === view}
          aria-controls={`view-${entry.id}`}
          tabIndex={entry.id === view ? 0 : -1}
          onClick={() => useNavigationStore.getState().setView(entry.id)}
        >
          {entry.label}
        </button>
      ))}
    </div>
  );
}
