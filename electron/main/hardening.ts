import type { App, Session } from 'electron';

/**
 * Every webContents the app ever creates (ours, and any a bug might open): no navigation
 * away from our page, no new windows, no <webview>.
 */
export function hardenAllWebContents(app: App, onBlocked: (what: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      event.preventDefault();
      onBlocked(`navigation to ${event.url}`);
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      onBlocked('a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      onBlocked(`window.open of ${url}`);
      return { action: 'deny' };
    });
  });
}

/**
 * No permission is ever granted (camera, notifications, clipboard…), and every HTTP response
 * gets our CSP. For the file:// page, which has no headers, the same policy comes from the
 * meta tag in index.html.
 */
export function hardenSession(session: Session, contentSecurityPolicy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
}
