export type EnvParseResult = { ok: true; set: Record<string, string> } | { ok: false; error: string };

/** KEY=value per line; blank lines and # comments are skipped; the value is everything after the first '='. */
export function parseEnvLines(text: string): EnvParseResult {
  const set: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const equals = line.indexOf('=');
    const name = equals < 0 ? '' : line.slice(0, equals).trim();
    if (!name) return { ok: false, error: `line ${i + 1}: expected KEY=value, got “${line.trim()}”` };
    if (/\s/.test(name)) return { ok: false, error: `line ${i + 1}: variable name “${name}” contains whitespace` };
    set[name] = line.slice(equals + 1);
  }
  return { ok: true, set };
}
