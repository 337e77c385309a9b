import { FilterInput } from '../../components/FilterInput';
import { useProcessListStore } from '../../stores/processListStore';

export const PROCESS_FILTER_ID = 'process-filter';

interface ProcessToolbarProps {
  shown: number;
  /** Processes on the machine before filtering (unknown until the first list). */
  total: number | undefined;
  /** Rows are held still while a confirmation is open. */
  frozen: boolean;
}

export function ProcessToolbar({ shown, total, frozen }: ProcessToolbarProps) {
  const filter = useProcessListStore((state) => state.query.filter);
  const tree = useProcessListStore((state) => state.query.tree);
  return (
    <div className="panel-toolbar">
      <h2>Processes</h2>
      <FilterInput
        type="search"
        id={PROCESS_FILTER_ID}
        label="Filter processes"
        placeholder="Filter by command, user or pid"
        value={filter}
        onChange={useProcessListStore.getState().setFilter}
      />
      <label className="check" title="Children under their parents; a match keeps its ancestors">
        <input type="checkbox" checked={tree} onChange={(event) => useProcessListStore.getState().setTree(event.target.checked)} />
        Tree mode
      </label>
      <span className="muted" aria-live="polite">
        {total === undefined ? '' : shown === total ? `${total} processes` : `${shown} of ${total} processes`}
        {frozen ? ' · paused while you confirm' : ''}
      </span>
    </div>
  );
}
