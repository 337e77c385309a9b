import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import './tabs.css';

export interface Tab<T extends string> {
  id: T;
  label: ReactNode;
}

interface TabListProps<T extends string> {
  tabs: readonly Tab<T>[];
  selected: T;
  onSelect(id: T): void;
  /** The tab list's accessible name. */
  label: string;
  /** The id of a tab's element, and of the panel it controls. */
  tabId(id: T): string;
  panelId(id: T): string;
  className?: string;
}

/**
 * WAI-ARIA tabs with automatic activation: one tab stop; arrow keys move to the next tab and
 * show it, Home and End to the first and last.
 */
export function TabList<T extends string>({ tabs, selected, onSelect, label, tabId, panelId, className = '' }: TabListProps<T>) {
  const refs = useRef<Partial<Record<T, HTMLButtonElement | null>>>({});

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : step !== 0 ? (index + step + tabs.length) % tabs.length : -1;
    if (target < 0) return;
    event.preventDefault();
    const next = tabs[target]!.id;
    onSelect(next);
    refs.current[next]?.focus();
  };

  return (
    <div role="tablist" aria-label={label} className={`tab-list ${className}`} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          ref={(element) => {
            refs.current[tab.id] = element;
          }}
          type="button"
          role="tab"
          id={tabId(tab.id)}
          aria-selected={tab.id === selected}
          aria-controls={panelId(tab.id)}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
