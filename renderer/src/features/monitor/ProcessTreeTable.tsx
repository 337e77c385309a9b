import { formatBytes, formatPercentNumber } from '../../../../shared/format';
import type { ProcessTreeDetail } from '../../../../shared/monitoring';

const INDENT = 14;

function depthsOf(tree: ProcessTreeDetail): Map<number, number> {
  // Root first, then breadth first: every parent is met before its children.
  const depths = new Map<number, number>();
  for (const process of tree.processes) depths.set(process.pid, (depths.get(process.ppid) ?? -1) + 1);
  return depths;
}

/** A job's processes, children under their parents, with the totals over the whole tree. */
export function ProcessTreeTable({ tree }: { tree: ProcessTreeDetail }) {
  const depths = depthsOf(tree);
  return (
    <div className="tree-table-wrap">
      <table className="tree-table" aria-label="Process tree">
        <thead>
          <tr>
            <th scope="col" className="numeric">
              PID
            </th>
            <th scope="col">Command</th>
            <th scope="col" className="numeric">
              CPU %
            </th>
            <th scope="col" className="numeric">
              Memory
            </th>
            <th scope="col">State</th>
            <th scope="col" className="numeric">
              Threads
            </th>
          </tr>
        </thead>
        <tbody>
          {tree.processes.map((process) => (
            <tr key={process.pid}>
              <td className="numeric">{process.pid}</td>
              <td className="tree-command" title={process.command}>
                <span style={{ paddingLeft: (depths.get(process.pid) ?? 0) * INDENT }}>{process.command}</span>
              </td>
              <td className="numeric">{formatPercentNumber(process.cpu)}</td>
              <td className="numeric">{formatBytes(process.rss)}</td>
              <td>{process.state}</td>
              <td className="numeric">{process.threads}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total ({tree.totals.processes} {tree.totals.processes === 1 ? 'process' : 'processes'})
            </th>
            <td className="numeric">{formatPercentNumber(tree.totals.cpu)}</td>
            <td className="numeric">{formatBytes(tree.totals.rss)}</td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
