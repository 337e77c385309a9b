import './actionMenu.css';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  id: string;
  /** The item's accessible name (and its text, unless `text` is given). */
  label: string;
  text?: ReactNode;
  /** A key that does the same outside the menu, shown beside the item. */
  shortcut?: string;
  disabled?: boolean;
  danger?: boolean;
  onSelect(): void;
}

interface ActionMenuProps {
  items: readonly MenuItem[];
  /** The menu button's accessible name and text. */
  label?: string;
  /** The menu's own name, e.g. "Actions for web-1". */
  menuLabel: string;
  disabled?: boolean;
  /** Passed to the button: a roving grid decides which of its buttons is the tab stop. */
  tabIndex?: number;
  stopId?: string;
}

interface Placement {
  top: number;
  left: number;
}

const GAP = 2;

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ↓ opens it on the first item, ↑ on the
 * last; ↑ ↓ Home End move, a letter jumps to the item it starts, Enter runs, Esc or Tab closes
 * back to the button. The menu is drawn over the page (rows of a virtualised grid clip their
 * content), below the button or above it when there is no room.
 */
export function ActionMenu({ items, label = 'Actions', menuLabel, disabled = false, tabIndex, stopId }: ActionMenuProps) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<'first' | 'last' | null>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);

  const close = (refocus: boolean) => {
    setOpen(null);
    setPlacement(null);
    if (refocus) buttonRef.current?.focus();
  };

  const enabledItems = () => [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];

  useLayoutEffect(() => {
    if (open === null || !buttonRef.current || !menuRef.current) return;
    const button = buttonRef.current.getBoundingClientRect();
    const menu = menuRef.current.getBoundingClientRect();
    const below = button.bottom + GAP;
    const top = below + menu.height <= window.innerHeight ? below : Math.max(0, button.top - GAP - menu.height);
    const left = Math.max(0, Math.min(button.right - menu.width, window.innerWidth - menu.width));
    setPlacement({ top, left });
  }, [open]);

  // Once placed (a hidden element cannot take focus): the first or last item, as the key asked.
  useLayoutEffect(() => {
    if (open === null || placement === null) return;
    const targets = enabledItems();
    (open === 'first' ? targets[0] : targets[targets.length - 1])?.focus({ preventScroll: true });
  }, [open, placement]);

  useEffect(() => {
    if (open === null) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    // The menu is placed once: anything that moves the button under it closes it.
    const onMove = (event: Event) => {
      if (!menuRef.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const targets = enabledItems();
    const index = targets.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (i: number) => targets[(i + targets.length) % targets.length]?.focus();
    let handled = true;
    if (event.key === 'ArrowDown') focus(index + 1);
    else if (event.key === 'ArrowUp') focus(index - 1);
    else if (event.key === 'Home') focus(0);
    else if (event.key === 'End') focus(targets.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') close(true);
    else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // A letter moves to the next item it starts, as menus do; never a shortcut of the page behind.
      const letter = event.key.toLowerCase();
      const order = [...targets.slice(index + 1), ...targets.slice(0, index + 1)];
      order.find((item) => (item.dataset.label ?? '').toLowerCase().startsWith(letter))?.focus();
    } else handled = false;
    if (handled) event.preventDefault();
    // The menu is portalled, but React bubbles its events through the grid it was opened from.
    event.stopPropagation();
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="menu-button"
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open !== null ? menuId : undefined}
        disabled={disabled}
        tabIndex={tabIndex}
        data-stop={stopId}
        onClick={() => (open === null ? setOpen('first') : close(true))}
        onKeyDown={onButtonKeyDown}
      >
        {label}
        <span aria-hidden="true" className="menu-caret">
          ▾
        </span>
      </button>
      {open !== null &&
        createPortal(
          <div
            ref={menuRef}
            id={menuId}
            role="menu"
            aria-label={menuLabel}
            className="action-menu"
            style={placement ? { top: placement.top, left: placement.left } : { visibility: 'hidden', top: 0, left: 0 }}
            onKeyDown={onMenuKeyDown}
            onClick={(event) => event.stopPropagation()}
            onFocus={(event) => event.stopPropagation()}
          >
            {items.map((item) => (
              <button
                key={item.id}
                type="button"
                role="menuitem"
                tabIndex={-1}
                disabled={item.disabled}
                data-label={item.label}
                aria-label={item.label}
                aria-keyshortcuts={item.shortcut}
                className={item.danger ? 'danger' : undefined}
                onClick={() => {
                  close(true);
                  item.onSelect();
                }}
              >
                <span>{item.text ?? item.label}</span>
                {item.shortcut && (
                  <kbd aria-hidden="true" className="menu-shortcut">
                    {item.shortcut}
                  </kbd>
                )}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
