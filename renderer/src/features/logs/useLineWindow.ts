import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { LogLine } from '../../lib/logText';

export const LINE_HEIGHT = 18;
const OVERSCAN = 10;

/** Index of the line with this id; ids grow along the array (open lines, negative, come last). */
function indexOfId(lines: readonly LogLine[], id: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const current = lines[middle]!.id;
    if (current === id) return middle;
    if (current < 0 || current > id) high = middle - 1;
    else low = middle + 1;
  }
  return low;
}

/**
 * Which lines of a fixed-height list are in view. Following, the window is simply the last
 * screenful, computed from the count alone: no scroll event or layout read is needed before
 * the right lines are rendered, which matters when a job floods output every frame. Not
 * following, the first visible line is kept in place while older lines are trimmed away.
 */
export function useLineWindow(scrollRef: RefObject<HTMLDivElement | null>, lines: readonly LogLine[], follow: boolean) {
  const [viewportHeight, setViewportHeight] = useState(600);
  const [scrollTop, setScrollTop] = useState(0);
  const anchor = useRef<{ id: number; offset: number } | null>(null);

  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [scrollRef]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    if (follow) {
      // Past the end on purpose: the browser clamps, and we need not read the layout first.
      element.scrollTop = lines.length * LINE_HEIGHT;
    } else if (anchor.current && lines.length > 0) {
      const target = indexOfId(lines, anchor.current.id) * LINE_HEIGHT + anchor.current.offset;
      if (Math.abs(target - element.scrollTop) >= 1) element.scrollTop = target;
    }
  }, [follow, lines, scrollRef]);

  const onScroll = useCallback(
    (element: HTMLDivElement) => {
      const top = element.scrollTop;
      const first = lines[Math.min(lines.length - 1, Math.floor(top / LINE_HEIGHT))];
      anchor.current = first ? { id: first.id, offset: top - Math.floor(top / LINE_HEIGHT) * LINE_HEIGHT } : null;
      setScrollTop(top);
    },
    [lines],
  );

  const visibleCount = Math.ceil(viewportHeight / LINE_HEIGHT) + 1;
  const start = follow
    ? Math.max(0, lines.length - visibleCount)
    : Math.max(0, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN);
  const end = Math.min(lines.length, follow ? lines.length : start + visibleCount + 2 * OVERSCAN);
  return { start, end, totalHeight: lines.length * LINE_HEIGHT, onScroll };
}
