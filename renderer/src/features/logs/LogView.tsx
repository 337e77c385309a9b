import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type UIEvent } from 'react';
import type { LogLine } from '../../stores/logText';
import { useUiStore } from '../../stores/uiStore';
import { renderAnsi } from './ansiLine';

const LINE_HEIGHT = 18;

const LogLineView = memo(function LogLineView({ line, top }: { line: LogLine; top: number }) {
  return (
    <div className="log-line" data-stream={line.stream} style={{ transform: `translateY(${top}px)` }}>
      {renderAnsi(line.text)}
    </div>
  );
});

/** Only the lines in view are in the DOM; with Follow on, the view sticks to the newest line. */
export function LogView({ lines, label }: { lines: readonly LogLine[]; label: string }) {
  const follow = useUiStore((state) => state.follow);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);

  // The virtualizer returns fresh functions each render by design; nothing here is memoised on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    getItemKey: (index) => lines[index]!.id,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, lines, virtualizer]);

  // Scrolling up by hand means the operator is reading: stop following. Growth and filtering
  // never move scrollTop up while at the bottom, so only a person triggers this.
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < LINE_HEIGHT;
    if (element.scrollTop < lastScrollTop.current && !atBottom && useUiStore.getState().follow) {
      useUiStore.getState().setFollow(false);
    }
    lastScrollTop.current = element.scrollTop;
  };

  return (
    <div
      ref={scrollRef}
      className="log-view"
      role="log"
      aria-live="off"
      aria-label={label}
      tabIndex={0}
      onScroll={onScroll}
    >
      <div className="log-lines" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <LogLineView key={item.key} line={lines[item.index]!} top={item.start} />
        ))}
      </div>
    </div>
  );
}
