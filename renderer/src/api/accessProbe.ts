/** What the host says about this tab's credentials: it takes them, it refuses them, or it cannot be reached. */
export type AccessVerdict = 'accepted' | 'refused' | 'unreachable';

/**
 * Asks over plain HTTP what a failed WebSocket cannot say: a browser reports a refused upgrade
 * (401) exactly like a host that is down. The WebSocket path answers a GET or HEAD that carries
 * a valid token (the cookie, or the `?token=` the tab keeps in memory) with 426, and one without
 * with 401; a host that is down answers nothing.
 */
export async function probeAccess(webSocketUrl: string): Promise<AccessVerdict> {
  try {
    const response = await fetch(webSocketUrl.replace(/^ws/, 'http'), { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
    return response.status === 401 ? 'refused' : 'accepted';
  } catch {
    return 'unreachable';
  }
}
