import { memo, useRef, type UIEvent } from 'react';
import type { LogLine } from '../../lib/logText';
import { useLogViewStore } from '../../stores/logViewStore';
import { renderAnsi } from './ansiLine';
import { LINE_HEIGHT, useLineWindow } from './useLineWindow';

/** "14:03:07.250": the local time a line arrived, to the millisecond (lines arrive in bursts). */
function clockOf(at: number): string {
  const time = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * One line. Its stream is a quiet mark in the gutter (CSS, from data-stream: "err", "sys"),
 * never a colour on the text: servers write access logs and progress to stderr.
 */
const LogLineView = memo(function LogLineView({ line, timestamps }: { line: LogLine; timestamps: boolean }) {
  return (
    <div className="log-line" data-stream={line.stream}>
      {line.lineNumber !== undefined && (
        <span className="log-number" title={`line ${line.lineNumber.toLocaleString('en')} of the log file`}>
          {line.lineNumber}
        </span>
      )}
      {timestamps && <span className="log-time">{line.at === undefined ? '' : clockOf(line.at)}</span>}
      <span className="log-text">{renderAnsi(line.text)}</span>
    </div>
  );
});

/** Only the lines in view are in the DOM; with Follow on, the view sticks to the newest line. */
export const LogView = memo(function LogView({ lines, label }: { lines: readonly LogLine[]; label: string }) {
  const follow = useLogViewStore((state) => state.follow);
  const timestamps = useLogViewStore((state) => state.timestamps);
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
            <LogLineView key={line.id} line={line} timestamps={timestamps} />
          ))}
        </div>
      </div>
    </div>
  );
});
