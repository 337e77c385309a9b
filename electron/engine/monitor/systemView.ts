import { systemProcessQuerySchema, type SystemProcessQuery, type SystemProcessQueryInput } from '../../../shared/monitoring';

export interface SystemViewRequest {
  /** Present while the process list is on screen; without it only the machine's stats are pushed. */
  processes?: SystemProcessQueryInput;
}

/**
 * Whether someone is looking at the system view, as a lease: the UI opens it and renews it
 * (on every query change, and at least once per lease), so a window that closes without
 * saying so stops the per-tick work once the lease runs out.
 */
export class SystemViewLease {
  private expiresAt = 0;
  private query?: SystemProcessQuery;

  open(request: SystemViewRequest, leaseMs: number, now: number): void {
    this.expiresAt = now + leaseMs;
    this.query = request.processes === undefined ? undefined : systemProcessQuerySchema.parse(request.processes);
  }

  close(): void {
    this.expiresAt = 0;
    this.query = undefined;
  }

  isOpen(now: number): boolean {
    return now < this.expiresAt;
  }

  /** The process list's query while the list is on screen. */
  processQuery(now: number): SystemProcessQuery | undefined {
    return this.isOpen(now) ? this.query : undefined;
  }
}
