/**
 * The one strict policy both hosts send. `connect-src` names the WebSocket explicitly:
 * older browsers do not let 'self' cover ws: URLs.
 */
export function contentSecurityPolicy(webSocketOrigin?: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self'${webSocketOrigin ? ` ${webSocketOrigin}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
