import type { ConfigDiffResult } from '../../../../shared/configCommands';

/** Added, changed (with the keys that changed) and removed definitions, one list each; warnings after. */
export function ConfigDiffLists({ diff }: { diff: ConfigDiffResult }) {
  return (
    <div className="config-diff">
      <NameList title="Added" names={diff.added} />
      <section className="config-list">
        <h3>Changed ({diff.changed.length})</h3>
        {diff.changed.length === 0 ? (
          <p className="muted">none</p>
        ) : (
          <ul aria-label="Changed">
            {diff.changed.map((change) => (
              <li key={change.name}>
                <strong>{change.name}</strong>: {change.fields.join(', ')}
                {change.needsRestart && <span className="muted"> (restarts if running)</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <NameList title="Removed" names={diff.removed} />
      {diff.unchanged.length > 0 && <p className="muted">Unchanged: {diff.unchanged.join(', ')}</p>}
      {diff.warnings.length > 0 && (
        <section className="config-list">
          <h3>Warnings ({diff.warnings.length})</h3>
          <ul aria-label="Warnings" className="mono config-problems">
            {diff.warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function NameList({ title, names }: { title: string; names: readonly string[] }) {
  return (
    <section className="config-list">
      <h3>
        {title} ({names.length})
      </h3>
      {names.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <ul aria-label={title}>
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
