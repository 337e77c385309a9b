import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

/**
 * Maps a URL path onto a file inside root, or refuses it. The path is decoded once,
 * resolved, and must still lie inside root after following symlinks, so neither `..`,
 * encoded `%2e%2e`, backslashes nor a symlink can reach outside.
 */
export function lookupStaticFile(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { kind: 'bad-path' };
  // An empty segment ("//") names nothing a browser asks for; refused before the file system is
  // consulted, so the answer does not depend on whether (or where) the renderer is built.
  if (decoded.includes('//') || decoded.split('/').some((segment) => segment === '..')) return { kind: 'bad-path' };
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realpathSync(root);
    realFile = realpathSync(resolve(join(root, relative)));
  } catch {
    return { kind: 'not-found' };
  }
  if (!realFile.startsWith(realRoot + sep)) return { kind: 'bad-path' };
  const stats = statSync(realFile, { throwIfNoEntry: false });
  if (!stats?.isFile()) return { kind: 'not-found' };
  const contentType = CONTENT_TYPES[extname(realFile).toLowerCase()] ?? 'application/octet-stream';
  return { kind: 'file', path: realFile, size: stats.size, contentType };
}

export const openStaticFile = (path: string) => createReadStream(path);

export const isRendererBuilt = (root: string) => statSync(join(root, 'index.html'), { throwIfNoEntry: false })?.isFile() === true;

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Procdeck: not built</title></head>
<body><h1>Procdeck is not built yet</h1>
<p>The user interface has not been built. Run <code>npm run build</code> in the project folder, then reload this page.</p>
</body></html>
`;
