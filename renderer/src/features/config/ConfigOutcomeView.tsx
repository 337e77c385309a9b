import type { ConfigApplyResult } from '../../../../shared/configCommands';
import type { ConfigOutcome } from './configOutcome';
import { ConfigDiffLists } from './ConfigDiffLists';
import { ConfigExport } from './ConfigExport';
import { countsOf, fileNameOf, hasChanges } from './configText';

/** What the last action of the Config file dialog answered. */
export function ConfigOutcomeView({ outcome }: { outcome: ConfigOutcome }) {
  switch (outcome.kind) {
    case 'diff':
      return (
        <>
          <p role="status">
            {outcome.onDisk ? `${fileNameOf(outcome.diff.file)} changed on disk` : outcome.diff.file}:{' '}
            {hasChanges(outcome.diff) ? `${countsOf(outcome.diff)}. Nothing changes until you apply it.` : 'no changes; the definitions in force match the file.'}
          </p>
          <ConfigDiffLists diff={outcome.diff} />
        </>
      );
    case 'applied':
      return (
        <>
          <p role="status">{appliedSummary(outcome.result)}</p>
          <ConfigDiffLists diff={outcome.result} />
        </>
      );
    case 'errors':
      return (
        <div role="alert" className="config-errors">
          <p>{outcome.headline}</p>
          {outcome.problems.length > 0 && (
            <ul aria-label="Errors" className="mono config-problems">
              {outcome.problems.map((problem, index) => (
                <li key={index}>{problem}</li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'export':
      return <ConfigExport yaml={outcome.yaml} />;
  }
}

function appliedSummary(result: ConfigApplyResult): string {
  const parts = [`Applied ${result.file}: ${countsOf(result)}`];
  if (result.started.length > 0) parts.push(`started ${result.started.join(', ')}`);
  if (result.restarted.length > 0) parts.push(`restarted ${result.restarted.join(', ')} (one by one)`);
  return `${parts.join('; ')}.`;
}
