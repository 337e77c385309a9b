import type { IsolationLevel } from '../../../../shared/isolation';
import { isolationFieldFor } from './isolationForm';
import { LimitsTable } from './LimitsTable';
import { MaximumGuarantees } from './MaximumGuarantees';
import type { LimitsDescription } from './useLimitsDescription';

interface LimitsInForceProps {
  level: IsolationLevel;
  description: LimitsDescription;
}

/** The launch form's live view of the limits the chosen level and overrides put in force here. */
export function LimitsInForce({ level, description }: LimitsInForceProps) {
  const report = description.answer?.report;
  // Errors that belong to a field are shown there; anything else (a lost connection) here.
  const error = description.error && isolationFieldFor(description.error) === undefined ? description.error : undefined;
  return (
    <section className="limits-in-force" aria-labelledby="limits-in-force-heading" aria-busy={!description.current}>
      <h3 id="limits-in-force-heading">Limits in force</h3>
      {error ? (
        <p className="muted">Could not ask the engine for the limits: {error.message}</p>
      ) : !report ? (
        <p className="muted">Asking the engine…</p>
      ) : report.limits.length === 0 ? (
        <p className="muted">No limits: the job runs with Procdeck&apos;s rights, environment and network.</p>
      ) : (
        <LimitsTable limits={report.limits} label="Limits of the new job" />
      )}
      {report && report.warnings.length > 0 && (
        <ul className="limit-warnings" aria-label="Warnings">
          {report.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {level === 'maximum' && <MaximumGuarantees />}
    </section>
  );
}
