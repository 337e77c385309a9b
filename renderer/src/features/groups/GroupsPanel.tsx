import { useHostStore } from '../../stores/hostStore';
import { GroupRow } from './GroupRow';
import { useGroups } from './useGroups';

/** The pool's groups: what runs and waits in each, their limits, and pausing a group's queue. */
export function GroupsPanel() {
  const groups = useGroups();
  const globalLimit = useHostStore((state) => state.settings.maxConcurrent);
  return (
    <section className="groups-panel" aria-label="Groups">
      <div className="panel-toolbar">
        <h2>Groups</h2>
        <span className="muted">at most {globalLimit} jobs run at once in all groups together</span>
      </div>
      <table className="groups-table">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="numeric">
              Running
            </th>
            <th scope="col" className="numeric">
              Queued
            </th>
            <th scope="col">Limit</th>
            <th scope="col">Queue</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <GroupRow key={`${group.name}:${group.limit ?? ''}`} group={group} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
