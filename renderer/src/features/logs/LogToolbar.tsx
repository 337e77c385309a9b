import { FilterInput } from '../../components/FilterInput';
import { useLogViewStore, type StreamFilter } from '../../stores/logViewStore';

const STREAM_CHOICES: { value: StreamFilter; label: string }[] = [
  { value: 'all', label: 'All lines' },
  { value: 'stdout', label: 'stdout' },
  { value: 'stderr', label: 'stderr (err)' },
  { value: 'system', label: 'Procdeck’s lines (sys)' },
];

/** How the log is read: follow, which stream, times, search (plain text or a regular expression, with or without case). */
export function LogToolbar({ disabled }: { disabled: boolean }) {
  const { follow, search, regex, caseSensitive, streams, timestamps } = useLogViewStore();
  const view = useLogViewStore.getState();
  return (
    <>
      <span className="log-toolbar-group">
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(event) => view.setFollow(event.target.checked)} />
          Follow
        </label>
        <label className="check" title="When each line reached Procdeck (your local time)">
          <input type="checkbox" checked={timestamps} onChange={(event) => view.setTimestamps(event.target.checked)} />
          Times
        </label>
        <select
          className="log-streams"
          aria-label="Show lines"
          value={streams}
          disabled={disabled}
          onChange={(event) => {
            const picked = STREAM_CHOICES.find((choice) => choice.value === event.target.value);
            if (picked) view.setStreams(picked.value);
          }}
        >
          {STREAM_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </span>
      {/* The search and how it is read: one group, which goes to a line of its own on a narrow pane. */}
      <span className="log-toolbar-group" role="group" aria-label="Search">
        <FilterInput label="Search log" placeholder="Search log" value={search} disabled={disabled} onChange={view.setSearch} />
        <label className="check" title="Read the search as a JavaScript regular expression (one that repeats a repeated group is refused)">
          <input type="checkbox" checked={regex} disabled={disabled} onChange={(event) => view.setRegex(event.target.checked)} />
          Regex
        </label>
        <label className="check" title="Upper and lower case differ">
          <input type="checkbox" checked={caseSensitive} disabled={disabled} onChange={(event) => view.setCaseSensitive(event.target.checked)} />
          Match case
        </label>
      </span>
    </>
  );
}
