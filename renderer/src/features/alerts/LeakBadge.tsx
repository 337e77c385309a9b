import { formatByteRate, MIB } from '../../../../shared/format';
import { useAlertsStore } from '../../stores/alertsStore';

/** Shown while the leak detector flags the subject: memory has kept rising along a straight line. */
export function LeakBadge({ subjectId }: { subjectId: string }) {
  const verdict = useAlertsStore((state) => state.leaks[subjectId]);
  if (!verdict) return null;
  const rate = verdict.growthMiBPerMinute;
  return (
    <span
      className="leak-badge"
      role="status"
      title={`Resident memory rose steadily over ${Math.round(verdict.spanMs / 60_000)} min (fit R² ${verdict.r2.toFixed(2)}, ${verdict.points} samples)`}
    >
      Possible leak +{formatByteRate(rate * MIB, 'min')}
    </span>
  );
}
