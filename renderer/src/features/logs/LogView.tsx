import { memo, useRef, type UIEvent } from 'react';
import type { LogLine } from '../../lib/logText';
import { useLogViewStore } from '../../stores/logViewStore';
import { renderAnsi } from './ansiLine';
import { LINE_HEIGHT, useLineWindow } from './useLineWindow';

const LogLineView = memo(function LogLineView({ line }: { line: LogLine }) {
  return (
    <div className="log-line" data-stream={line.stream}>
      {renderAnsi(line.text)}
    </div>
  );
});

/** Only the lines in view are in the DOM; with Follow on, the view sticks to the newest line. */
export const LogView = memo(function LogView({ lines, label }: { lines: readonly LogLine[]; label: string }) {
  const follow = useLogViewStore((state) => state.follow);
  const scrollRef = useRef<HTMLDivElement>(null);
  const lastScrollTop = useRef(0);
  const { start, end, totalHeight, onScroll: trackScroll } = useLineWindow(scrollRef, lines, follow);

  // Scrolling up by hand means the operator is reading: stop following. Growth and filtering
  // never move scrollTop up while at the bottom, so only a person triggers this.
  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < LINE_HEIGHT;
    if (element.scrollTop < lastScrollTop.current && !atBottom && useLogViewStore.getState().follow) {
      useLogViewStore.getState().setFollow(false);
    }
    lastScrollTop.current = element.scrollTop;
    trackScroll(element);
  };

  const rendered: LogLine[] = lines.slice(start, end);
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
      <div className="log-lines" style={{ height: totalHeight }}>
        <div className="log-window" style={{ transform: `translateY(${start * LINE_HEIGHT}px)` }}>
          {rendered.map((line) => (
            <LogLineView key={line.id} line={line} />
          ))}
        </div>
      </div>
    </div>
  );
});
