import { systemProcessQuerySchema, type SystemProcessQuery, type SystemProcessQueryInput } from '../../../shared/monitoring';

export interface SystemViewRequest {
  /** Present while the process list is on screen; without it only the machine's stats are pushed. */
  processes?: SystemProcessQueryInput;
}

/** The viewer of callers that do not say (tests, a single local UI). Viewers are the host's: here, opaque ids. */
export const SOLE_VIEWER = 'default';

/** A process-list query and the viewers that asked for it: listed once for all of them. */
export interface ViewerQuery {
  query: SystemProcessQuery;
  viewers: string[];
}

interface Lease {
  expiresAt: number;
  query?: SystemProcessQuery;
}

/**
 * Who is looking at the system view, one lease per viewer: each UI opens its own and renews
 * it (on every query change, and at least once per lease), so a window that closes without
 * saying so stops the per-tick work once its lease runs out, and one viewer closing its view
 * or changing its sort or filter leaves the others' alone.
 */
export class SystemViewLeases {
  private readonly leases = new Map<string, Lease>();

  open(viewer: string, request: SystemViewRequest, leaseMs: number, now: number): void {
    const query = request.processes === undefined ? undefined : systemProcessQuerySchema.parse(request.processes);
    this.leases.set(viewer, { expiresAt: now + leaseMs, query });
  }

  /** Ends a viewer's lease (it closed the view, or its connection is gone). */
  close(viewer: string): void {
    this.leases.delete(viewer);
  }

  closeAll(): void {
    this.leases.clear();
  }

  /** True while any viewer's lease runs; expired leases are dropped. */
  isOpen(now: number): boolean {
    for (const [viewer, lease] of this.leases) if (now >= lease.expiresAt) this.leases.delete(viewer);
    return this.leases.size > 0;
  }

  /** The viewers whose lease runs now: who is shown the machine's figures (system.tick). */
  viewers(now: number): string[] {
    return this.isOpen(now) ? [...this.leases.keys()] : [];
  }

  /** The distinct process-list queries of the viewers showing the list now, each with its viewers. */
  listQueries(now: number): ViewerQuery[] {
    const byKey = new Map<string, ViewerQuery>();
    if (!this.isOpen(now)) return [];
    for (const [viewer, { query }] of this.leases) {
      if (!query) continue;
      const key = JSON.stringify(query);
      const same = byKey.get(key);
      if (same) same.viewers.push(viewer);
      else byKey.set(key, { query, viewers: [viewer] });
    }
    return [...byKey.values()];
  }
}
