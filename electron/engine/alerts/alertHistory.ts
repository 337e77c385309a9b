import type { FiredAlert } from '../../../shared/monitoring';

/** The most recent alerts, oldest dropped first. */
export class AlertHistory {
  private alerts: FiredAlert[] = [];

  constructor(private readonly capacity = 500) {}

  add(alerts: readonly FiredAlert[]): void {
    if (alerts.length === 0) return;
    this.alerts.push(...alerts);
    if (this.alerts.length > this.capacity) this.alerts.splice(0, this.alerts.length - this.capacity);
  }

  /** Newest first; only one subject's when subjectId is given. */
  list(subjectId?: string, limit = this.capacity): FiredAlert[] {
    const picked = subjectId === undefined ? this.alerts : this.alerts.filter((a) => a.subjectId === subjectId);
    return picked.slice(-limit).reverse();
  }

  clear(): void {
    this.alerts = [];
  }

  get size(): number {
    return this.alerts.length;
  }
}
