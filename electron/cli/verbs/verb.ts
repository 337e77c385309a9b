import type { Command } from 'commander';
import type { CliContext } from '../cliContext';

/**
 * One verb of the CLI: adds its subcommand to the program. A new verb (runs, apply, …) is
 * one file exporting one of these, listed in verbs/index.ts.
 */
export type Verb = (program: Command, context: CliContext) => void;

/** JSON as --json prints it: one document per line, so several answers stay parseable one by one (jq reads them as a stream). */
export const jsonLine = (value: unknown) => `${JSON.stringify(value)}\n`;
