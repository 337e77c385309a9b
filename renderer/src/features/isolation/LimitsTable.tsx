import type { LimitDescription } from '../../../../shared/isolation';

interface LimitsTableProps {
  limits: readonly LimitDescription[];
  /** The table's accessible name. */
  label: string;
  /** Four columns side by side (a wide panel) instead of stacked lines (the sidebar). */
  wide?: boolean;
}

/**
 * Each limit with its value, what enforces it on this machine and where that is weaker than
 * its name. A grid of ARIA table roles, so the stacked layout keeps the table's semantics.
 */
export function LimitsTable({ limits, label, wide = false }: LimitsTableProps) {
  return (
    <div role="table" aria-label={label} className="limits-table" data-wide={wide}>
      <div role="rowgroup" className="limits-head">
        <div role="row" className="limit-row">
          <span role="columnheader">Limit</span>
          <span role="columnheader">Value</span>
          <span role="columnheader">Mechanism</span>
          <span role="columnheader">Note</span>
        </div>
      </div>
      <div role="rowgroup">
        {limits.map((limit) => (
          <div role="row" key={limit.limit} className="limit-row" data-limit={limit.limit} data-enforced={limit.enforced}>
            <span role="rowheader" className="limit-label">
              {limit.label}
            </span>
            <span role="cell" className="limit-value">
              {limit.value}
              {!limit.enforced && <span className="not-enforced"> (not enforced here)</span>}
            </span>
            <span role="cell" className="limit-mechanism">
              {limit.mechanism}
            </span>
            <span role="cell" className="limit-note">
              {limit.note ?? ''}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
