/** Longer request targets are refused (414): no page of ours has a path anywhere near this long. */
export const MAX_TARGET_LENGTH = 2048;

export type RequestTarget =
  | { ok: true; path: string; query: URLSearchParams }
  | { ok: false; status: 400 | 414; reason: string };

/**
 * Splits a request target into its path and query without the URL parser, which throws on
 * targets such as `//` (read as a host-less authority). Only origin-form (`/path?query`) is
 * served: we are no proxy (absolute-form, authority-form) and answer no `*` (asterisk-form).
 * The path stays raw; the static file lookup decodes it once and checks what it names.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget {
  if (raw === undefined || raw === '') return { ok: false, status: 400, reason: 'the request has no target' };
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, reason: `request target longer than ${MAX_TARGET_LENGTH} characters` };
  if (!raw.startsWith('/')) return { ok: false, status: 400, reason: 'only paths are served (a target must begin with "/")' };
  const hash = raw.indexOf('#');
  const withoutFragment = hash === -1 ? raw : raw.slice(0, hash);
  const mark = withoutFragment.indexOf('?');
  const path = mark === -1 ? withoutFragment : withoutFragment.slice(0, mark);
  // URLSearchParams decodes leniently (a lone `%` stays as is) and never throws.
  const query = new URLSearchParams(mark === -1 ? '' : withoutFragment.slice(mark + 1));
  return { ok: true, path, query };
}
