import { pathToFileURL } from 'node:url';

/** Where the window's page comes from: the built index.html, or (in development) a dev server. */
export type RendererLocation = { kind: 'file'; indexFile: string } | { kind: 'dev-server'; url: string };

export function rendererLocation(indexFile: string, devServerUrl: string | undefined): RendererLocation {
  if (devServerUrl) {
    const url = new URL(devServerUrl);
    if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      throw new Error(`PROCDECK_DEV_SERVER_URL must be an http URL on this machine, not ${devServerUrl}`);
    }
    return { kind: 'dev-server', url: url.href };
  }
  return { kind: 'file', indexFile };
}

/**
 * True when `url` is our page: the same file (any query or hash), or any page of the dev
 * server's origin. Everything else (other files, other sites, about:blank, data:) is not.
 */
export function isRendererUrl(location: RendererLocation, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.kind === 'dev-server') return parsed.origin === new URL(location.url).origin;
  const expected = pathToFileURL(location.indexFile);
  return parsed.protocol === 'file:' && parsed.host === '' && parsed.pathname === expected.pathname;
}
