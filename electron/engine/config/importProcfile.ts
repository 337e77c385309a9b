import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConfigProblem, ConfigResult } from '../../../shared/config/problems';
import { buildDefinitions, readConfigText } from './loadConfig';
import type { Locator, PointAt } from './yamlSource';

/**
 * A Procfile (`name: command` per line) as definitions, with Heroku's conventions, as
 * foreman and `heroku local` run one: every process type starts (autostart) in the
 * Procfile's directory, restarts whatever its exit (a dyno is restarted), and gets
 * PORT = 5000 + 100 × its place in the file; a `.env` beside the Procfile is its envFile;
 * a `release` type runs once (no restart) and the others wait for it to succeed.
 * Lines are `^[A-Za-z0-9_-]+:\s*(.+)$` (foreman's rule), `#` comments and blank lines.
 */

export interface ProcfileOptions {
  /** The first PORT (foreman's -p); default 5000. */
  basePort?: number;
}

interface Place {
  line: number;
  nameColumn: number;
  commandColumn: number;
}

const LINE = /^([A-Za-z0-9_-]+):\s*(.*)$/;

export function importProcfileFile(path: string, options: ProcfileOptions = {}): ConfigResult {
  const text = readConfigText(path);
  if (typeof text !== 'string') return { ok: false, errors: [text], warnings: [] };
  return importProcfile(text, path, options);
}

export function importProcfile(text: string, file: string, options: ProcfileOptions = {}): ConfigResult {
  const errors: ConfigProblem[] = [];
  const places = new Map<string, Place>();
  const commands = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const body = raw.trim();
    if (body === '' || body.startsWith('#')) return;
    const column = raw.length - raw.trimStart().length + 1;
    const match = LINE.exec(body);
    const problem = (kind: ConfigProblem['kind'], message: string, at = column) => errors.push({ kind, file, line, column: at, path: '', message });
    if (!match) return problem('syntax', `a Procfile line is "name: command" (name: letters, digits, "_", "-"), not ${JSON.stringify(body.length > 60 ? `${body.slice(0, 57)}...` : body)}`);
    const [, name, command] = match as unknown as [string, string, string];
    if (command.trim() === '') return problem('missing-key', `${name} has no command after its ":"`, column + name.length + 1);
    const first = places.get(name);
    if (first) return problem('duplicate-name', `duplicate process type "${name}" (first at line ${first.line})`);
    places.set(name, { line, nameColumn: column, commandColumn: column + body.indexOf(command) });
    commands.set(name, command.trim());
  });
  if (errors.length) return { ok: false, errors, warnings: [] };

  const dir = dirname(resolve(file));
  const envFile = existsSync(join(dir, '.env')) ? './.env' : undefined;
  const basePort = options.basePort ?? 5000;
  const hasRelease = commands.has('release');
  const jobs = Object.fromEntries(
    [...commands].map(([name, command], index) => {
      const release = name === 'release';
      return [
        name,
        {
          command,
          autostart: true,
          restart: release ? 'no' : 'always',
          env: { PORT: String(basePort + 100 * index) },
          ...(envFile ? { envFile } : {}),
          ...(hasRelease && !release ? { dependsOn: { release: 'succeeded' } } : {}),
        },
      ];
    }),
  );
  return buildDefinitions({ jobs }, new ProcfileLocator(file, places), dir);
}

/** A problem about a process type points at its line: the name, or the command for anything about what it runs. */
class ProcfileLocator implements Locator {
  constructor(
    readonly file: string,
    private readonly places: Map<string, Place>,
  ) {}

  /** A Procfile has process types and commands, nothing deeper: ['jobs', 'web', 'env'] is "web". */
  sourcePath(path: readonly PropertyKey[]): PropertyKey[] {
    return path.slice(1, 2);
  }

  locate(path: readonly PropertyKey[], at: PointAt): { line: number; column: number } {
    const place = this.places.get(String(path[1]));
    if (!place) return { line: 1, column: 1 };
    return { line: place.line, column: at === 'value' && path[2] === 'command' ? place.commandColumn : place.nameColumn };
  }
}
