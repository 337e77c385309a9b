import { resolve } from 'node:path';
import type { ConfigDiffResult } from '../../../shared/configCommands';
import { CliError } from '../cliErrors';
import { printable } from '../style';
import { jsonLine, type Verb } from './verb';

/** The diff as the operator reads it: one line per definition, + added, ~ changed (with the keys), - removed. */
export function describeConfigDiff(diff: ConfigDiffResult): string {
  const lines = [
    ...diff.added.map((name) => `  + ${printable(name)}`),
    ...diff.changed.map((change) => `  ~ ${printable(change.name)}: ${change.fields.join(', ')}${change.needsRestart ? ' (restarts if running)' : ''}`),
    ...diff.removed.map((name) => `  - ${printable(name)} (stopped if running)`),
  ];
  const warnings = diff.warnings.map((line) => `warning: ${printable(line)}`);
  return [...warnings, lines.length === 0 ? `${printable(diff.file)}: nothing to change` : `${printable(diff.file)}:`, ...lines].join('\n') + '\n';
}

export const apply: Verb = (program, context) => {
  program
    .command('apply')
    .description('apply a config file of declared jobs: shows what changes (added, changed, removed), asks, then applies it (changed running services restart one by one, dependencies first)')
    .argument('<file>', 'the config file (procdeck.yaml), relative to this directory')
    .option('-y, --yes', 'apply without asking (needed when stdin is not a terminal)')
    .option('--json', "print config.apply's answer as JSON")
    .action(async (file: string, options: { yes?: boolean; json?: boolean }) => {
      const path = resolve(context.io.cwd, file);
      const client = await context.client();
      const diff = await client.invoke('config.diff', { path });
      if (!options.json) context.io.out(describeConfigDiff(diff));
      const nothing = diff.added.length + diff.changed.length + diff.removed.length === 0;
      if (nothing && !options.json) return;
      if (!options.yes) {
        if (!context.io.ask) throw new CliError('stdin is not a terminal: add --yes to apply the file without being asked');
        const answer = await context.io.ask('Apply these changes? [y/N] ');
        if (!/^y(es)?$/i.test((answer ?? '').trim())) {
          context.io.out('Nothing applied.\n');
          return;
        }
      }
      const result = await client.invoke('config.apply', { path });
      if (options.json) {
        context.io.out(jsonLine(result));
        return;
      }
      const said = [
        result.started.length > 0 && `started ${result.started.map(printable).join(', ')}`,
        result.restarted.length > 0 && `restarted ${result.restarted.map(printable).join(', ')}`,
      ].filter(Boolean);
      context.io.out(`Applied ${printable(result.file)}${said.length > 0 ? `: ${said.join('; ')}` : ''}.\n`);
    });
};
