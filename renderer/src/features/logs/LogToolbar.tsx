import { FilterInput } from '../../components/FilterInput';
import { useLogViewStore, type StreamFilter } from '../../stores/logViewStore';

const STREAM_CHOICES: { value: StreamFilter; label: string }[] = [
  { value: 'all', label: 'All lines' },
  { value: 'stdout', label: 'stdout' },
  { value: 'stderr', label: 'stderr (err)' },
  { value: 'system', label: 'Procdeck’s lines (sys)' },
];

/** How the log is read: follow, which stream, times, search. */
export function LogToolbar({ disabled }: { disabled: boolean }) {
  const { follow, search, streams, timestamps } = useLogViewStore();
  const view = useLogViewStore.getState();
  return (
    <>
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
      <FilterInput label="Search log" placeholder="Search log" value={search} disabled={disabled} onChange={view.setSearch} />
    </>
  );
}
