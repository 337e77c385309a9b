import type { CommandName, CommandRequest, CommandResponse } from '../../shared/contract';
import type { BrowserHost } from './browserHost';

/**
 * A command through the browser host's HTTP API, as another client would send it: for
 * setting up many jobs quickly (the UI under test then sees them through its own connection).
 */
export async function hostCall<N extends CommandName>(host: BrowserHost, name: N, request: CommandRequest<N>): Promise<CommandResponse<N>> {
  const response = await fetch(`${host.origin}/api/v1/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as CommandResponse<N> | { error: { message: string } };
  if (!response.ok || 'error' in (body as object)) throw new Error(`${name} failed (${response.status}): ${JSON.stringify(body)}`);
  return body as CommandResponse<N>;
}

/** The page's own width against the window's: anything wider makes the whole page scroll sideways. */
export const pageScrollWidth = (page: import('@playwright/test').Page) => page.evaluate(() => document.documentElement.scrollWidth);
