import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent, type PointerEvent, type RefObject } from 'react';
import { selectJob } from '../../app/selection';
import { HEADER_ROW_KEY } from '../../components/SortableHeader';
import { useJobTableStore } from '../../stores/jobTableStore';
import { useSelectionStore } from '../../stores/selectionStore';
import { pickRows, togglePicked, type PickMode } from './gridPicks';
import { focusLog } from './gridFocus';
import { jobsOfRow, type GridRow } from './gridRows';
import { ROW_HEIGHT } from './jobColumns';

/** The grid's one tab stop: a row (by key, or the header) and a control in it (a cell "c0"…, a button "stop"…). */
export interface ActiveStop {
  key: string | null;
  stop: string;
  /** The row's index when it became the stop: its neighbour takes over if the row goes away. */
  index: number;
}

interface GridKeysOptions {
  rows: readonly GridRow[];
  scrollRef: RefObject<HTMLDivElement | null>;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** The stop as resolved for this render (never a row that is gone). */
  active: { key: string; stop: string };
  setActive(active: ActiveStop): void;
  activeIndex: number;
}

/** A click that moves focus elsewhere is the operator's choice; one that lands on nothing after this long is not. */
const POINTER_FOCUS_MS = 150;

const stopsOf = (row: Element) => [...row.querySelectorAll<HTMLElement>('[data-stop]')].filter((element) => !(element as HTMLButtonElement).disabled);

/**
 * How the Jobs grid answers the keyboard and the pointer (the WAI-ARIA grid pattern, with
 * multiple selection): ↑ ↓ Page Up/Down and Ctrl+Home/End move between rows and pick the one
 * reached (Shift extends the pick, Ctrl moves without picking), ← → Home End move between a
 * row's cells and controls, Space picks or unpicks, Ctrl+A picks every row, Enter opens the
 * job's log (or a batch's items), Esc drops a multiple pick. Shift- and ctrl-click do as Shift
 * and Ctrl do. Focus on a row makes its job the current one.
 */
export function useGridKeys({ rows, scrollRef, virtualizer, active, setActive, activeIndex }: GridKeysOptions) {
  const pendingFocus = useRef<ActiveStop | null>(null);
  const focusedWithin = useRef(false);
  const pointerInGrid = useRef(false);
  const lastPointerDownAt = useRef(-Infinity);
  const latest = useRef({ rows, active, activeIndex });
  useLayoutEffect(() => {
    latest.current = { rows, active, activeIndex };
  });

  useEffect(() => {
    const onPointerDown = () => {
      lastPointerDownAt.current = performance.now();
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    return () => document.removeEventListener('pointerdown', onPointerDown, true);
  }, []);

  const grid = () => scrollRef.current;
  const rowElement = (key: string) => grid()?.querySelector(`[data-row-key="${CSS.escape(key)}"]`) ?? null;

  const pickRow = (index: number, how: PickMode) => pickRows(rows, index, how, activeIndex);
  const togglePick = (index: number) => togglePicked(rows, index);

  const moveTo = (index: number, how: PickMode, stop = active.stop) => {
    if (index < 0) {
      const target = { key: HEADER_ROW_KEY, stop: stop.startsWith('h-') ? stop : 'h-job', index: 0 };
      setActive(target);
      pendingFocus.current = target;
      grid()?.scrollTo({ top: 0 });
      return;
    }
    const row = rows[index];
    if (!row) return;
    const target = { key: row.key, stop: stop.startsWith('h-') ? 'c0' : stop, index };
    setActive(target);
    pendingFocus.current = target;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    pickRow(index, how);
  };

  const moveWithinRow = (row: Element, target: HTMLElement, to: 'previous' | 'next' | 'first' | 'last') => {
    const stops = stopsOf(row);
    const at = stops.findIndex((element) => element === target || element.contains(target));
    const next =
      to === 'first' ? stops[0] : to === 'last' ? stops[stops.length - 1] : stops[Math.min(stops.length - 1, Math.max(0, at + (to === 'next' ? 1 : -1)))];
    next?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('[data-row-key]');
    if (!rowEl || !grid()?.contains(rowEl)) return;
    const key = rowEl.dataset.rowKey!;
    const header = key === HEADER_ROW_KEY;
    const index = header ? -1 : rows.findIndex((row) => row.key === key);
    const onControl = target.tagName === 'BUTTON';
    const modifier = event.ctrlKey || event.metaKey;
    const page = Math.max(1, Math.floor((grid()?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const how: PickMode = event.shiftKey ? 'extend' : modifier ? 'focus' : 'only';
    const last = rows.length - 1;
    switch (event.key) {
      case 'ArrowDown':
      case 'PageDown':
        if (rows.length === 0) return;
        moveTo(Math.min(last, index + (event.key === 'ArrowDown' ? 1 : page)), how);
        break;
      case 'ArrowUp':
      case 'PageUp':
        if (header) return;
        // Up from the first row reaches the header's sort buttons.
        moveTo(event.key === 'ArrowUp' ? index - 1 : Math.max(0, index - page), how);
        break;
      case 'Home':
      case 'End':
        if (modifier) {
          if (rows.length > 0) moveTo(event.key === 'Home' ? 0 : last, event.shiftKey ? 'extend' : 'only');
        } else moveWithinRow(rowEl, target, event.key === 'Home' ? 'first' : 'last');
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        moveWithinRow(rowEl, target, event.key === 'ArrowLeft' ? 'previous' : 'next');
        break;
      case ' ':
        if (onControl || header) return;
        togglePick(index);
        break;
      case 'Enter': {
        if (onControl || header) return;
        const row = rows[index];
        if (row?.kind === 'batch') useJobTableStore.getState().setBatchExpanded(row.batchId, !row.expanded);
        else focusLog();
        break;
      }
      case 'a':
      case 'A':
        if (!modifier) return;
        useSelectionStore.getState().choose(rows.flatMap((row) => jobsOfRow(row).map((job) => job.id)));
        break;
      case 'Escape': {
        const selection = useSelectionStore.getState();
        if (selection.chosen.size <= 1) return;
        selection.choose(selection.selectedJobId === null ? [] : [selection.selectedJobId]);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  const onFocus = (event: FocusEvent) => {
    const target = event.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('[data-row-key]');
    const stopEl = target.closest<HTMLElement>('[data-stop]');
    if (!rowEl || !stopEl || !grid()?.contains(rowEl)) return;
    focusedWithin.current = true;
    const key = rowEl.dataset.rowKey!;
    const stop = stopEl.dataset.stop!;
    const index = rows.findIndex((candidate) => candidate.key === key);
    if (active.key !== key || active.stop !== stop) setActive({ key, stop, index: Math.max(0, index) });
    // A click decides the pick itself (shift- and ctrl-clicks would be undone here).
    if (pointerInGrid.current || key === HEADER_ROW_KEY) return;
    const row = rows[index];
    if (row?.kind === 'job' && useSelectionStore.getState().selectedJobId !== row.job.id) selectJob(row.job.id);
  };

  const restoreFocus = useCallback(() => {
    const element = grid();
    if (!element) return;
    const { active: stop } = latest.current;
    const row = rowElement(stop.key);
    const target = row?.querySelector<HTMLElement>('[tabindex="0"]') ?? element.querySelector<HTMLElement>('[data-row-key] [tabindex="0"]');
    target?.focus({ preventScroll: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reads the latest render through refs
  }, []);

  const onBlur = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (next && grid()?.contains(next)) return;
    if (next || performance.now() - lastPointerDownAt.current < POINTER_FOCUS_MS) {
      focusedWithin.current = false;
      return;
    }
    // Focus fell to nothing: its control was disabled (Stop once stopping) or its row went away
    // (Remove). It goes back to the row's stop, which has moved to a control that is there.
    requestAnimationFrame(() => {
      const now = document.activeElement;
      if (now === null || now === document.body) restoreFocus();
      else if (!grid()?.contains(now)) focusedWithin.current = false;
    });
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    pointerInGrid.current = true;
    // Shift-click picks a range; without this it would also select the text in between.
    if (event.shiftKey) event.preventDefault();
    const clear = () => {
      window.removeEventListener('pointerup', clear, true);
      setTimeout(() => (pointerInGrid.current = false));
    };
    window.addEventListener('pointerup', clear, true);
  };

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const rowEl = target.closest<HTMLElement>('[data-row-key]');
    if (!rowEl || !grid()?.contains(rowEl) || rowEl.dataset.rowKey === HEADER_ROW_KEY) return;
    // Removing a row, or folding a batch, is not picking it.
    if (target.closest('[data-action="remove"], [data-action="remove-batch"], .batch-toggle')) return;
    const index = rows.findIndex((row) => row.key === rowEl.dataset.rowKey);
    if (index < 0) return;
    const stop = target.closest<HTMLElement>('[data-stop]')?.dataset.stop ?? 'c0';
    if (active.key !== rows[index]!.key || active.stop !== stop) setActive({ key: rows[index]!.key, stop, index });
    if (event.shiftKey) pickRow(index, 'extend');
    else if (event.ctrlKey || event.metaKey) togglePick(index);
    else pickRow(index, 'only');
  };

  // Native listeners, not React's onFocus/onBlur: React drops focus events that happen during
  // its own commit (a Stop button disabled by the render that stopped the job, focus given back
  // by a dialog closing), and those are the ones that matter here.
  const focusHandlers = useRef({ onFocus, onBlur });
  useLayoutEffect(() => {
    focusHandlers.current = { onFocus, onBlur };
  });
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const focusIn = (event: FocusEvent) => focusHandlers.current.onFocus(event);
    const focusOut = (event: FocusEvent) => focusHandlers.current.onBlur(event);
    element.addEventListener('focusin', focusIn);
    element.addEventListener('focusout', focusOut);
    return () => {
      element.removeEventListener('focusin', focusIn);
      element.removeEventListener('focusout', focusOut);
    };
  }, [scrollRef]);

  /** Focus into the grid: a given job's row (once it is rendered), else the current stop. */
  const focusGrid = useCallback(
    (jobId?: string) => {
      if (jobId === undefined) {
        focusedWithin.current = true;
        restoreFocus();
        return;
      }
      // The row may not be drawn yet (a job just launched): the next render focuses it.
      const index = latest.current.activeIndex;
      pendingFocus.current = { key: jobId, stop: 'c0', index };
      setActive({ key: jobId, stop: 'c0', index });
    },
    [restoreFocus, setActive],
  );

  /** After each render: focus what a key asked for once it is drawn, and never leave focus on a control that went away. */
  const afterRender = () => {
    const pending = pendingFocus.current;
    if (pending) {
      const row = pending.key === null ? null : rowElement(pending.key);
      if (row) {
        const target = row.querySelector<HTMLElement>(`[data-stop="${CSS.escape(pending.stop)}"]:not(:disabled)`) ?? row.querySelector<HTMLElement>('[tabindex="0"]');
        target?.focus({ preventScroll: true });
        pendingFocus.current = null;
      } else if (!rows.some((candidate) => candidate.key === pending.key)) {
        pendingFocus.current = null;
      }
      return;
    }
    // A focused control that gets disabled loses focus without a blur event (the focus fixup
    // rule): focus is then on the body, or still on the disabled control until the browser fixes it up.
    const focused = document.activeElement as HTMLButtonElement | null;
    if (!focusedWithin.current) return;
    if (focused === null || focused === document.body || (grid()?.contains(focused) && focused.disabled)) restoreFocus();
  };

  return { onKeyDown, onPointerDown, onClick, focusGrid, afterRender };
}
