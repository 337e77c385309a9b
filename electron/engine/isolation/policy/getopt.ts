/** Whether an option takes an argument: getopt's "x", "x:" and "x::" (attached or after "=" only). */
export type ArgKind = 'none' | 'required' | 'optional';

export interface OptionDef {
  short?: string;
  long?: string;
  arg: ArgKind;
}

export const flag = (short: string | undefined, long?: string): OptionDef => ({ short, long, arg: 'none' });
export const withArg = (short: string | undefined, long?: string): OptionDef => ({ short, long, arg: 'required' });
export const optionalArg = (short: string | undefined, long?: string): OptionDef => ({ short, long, arg: 'optional' });

export interface Grammar {
  options: readonly OptionDef[];
  /**
   * GNU permutation (an optstring without "+"): options may follow operands, as su and runuser
   * take them. Otherwise parsing stops at the first operand, as every launcher that runs a
   * command does ("+"), so the command's own options are never read as the launcher's.
   */
  permute?: boolean;
  /** A word that is an option without being spelled like one (nice's historic "-5"): its option name. */
  legacy?(word: string): string | undefined;
}

export interface ParsedOption {
  /** The long name when the option has one, else its letter. */
  name: string;
  value?: string;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: string[];
}

export type ParseResult = ({ ok: true } & ParsedArgs) | { ok: false; error: string };

const nameOf = (def: OptionDef) => def.long ?? def.short!;

/** getopt_long accepts any unambiguous prefix of a long option ("--sig" for "--signal"). */
function findLong(options: readonly OptionDef[], name: string): OptionDef | string {
  const exact = options.find((o) => o.long === name);
  if (exact) return exact;
  const prefixed = options.filter((o) => o.long?.startsWith(name));
  if (prefixed.length === 1) return prefixed[0]!;
  return prefixed.length === 0 ? `unknown option --${name}` : `ambiguous option --${name}`;
}

/**
 * Reads a command line the way glibc's getopt_long does for the grammar given, so that the
 * operands (and so the command a launcher runs) are found exactly where the program itself
 * finds them. An option the grammar does not know is an error: the program's version here
 * might take an argument with it, and guessing would shift every operand after it.
 */
export function parseOptions(args: readonly string[], grammar: Grammar): ParseResult {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    const legacy = grammar.legacy?.(arg);
    if (legacy !== undefined) {
      options.push({ name: legacy, value: arg });
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!grammar.permute) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const def = findLong(grammar.options, name);
      if (typeof def === 'string') return { ok: false, error: def };
      if (eq >= 0) {
        if (def.arg === 'none') return { ok: false, error: `option --${def.long} takes no argument` };
        options.push({ name: nameOf(def), value: arg.slice(eq + 1) });
      } else if (def.arg === 'required') {
        if (i + 1 >= args.length) return { ok: false, error: `option --${def.long} needs an argument` };
        options.push({ name: nameOf(def), value: args[++i] });
      } else {
        options.push({ name: nameOf(def) });
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      const def = grammar.options.find((o) => o.short === letter);
      if (!def) return { ok: false, error: `unknown option -${letter}` };
      const rest = arg.slice(j + 1);
      if (def.arg === 'none') {
        options.push({ name: nameOf(def) });
        continue;
      }
      if (rest !== '') options.push({ name: nameOf(def), value: rest });
      else if (def.arg === 'required') {
        if (i + 1 >= args.length) return { ok: false, error: `option -${letter} needs an argument` };
        options.push({ name: nameOf(def), value: args[++i] });
      } else options.push({ name: nameOf(def) });
      break;
    }
  }
  return { ok: true, options, operands };
}

export const has = (parsed: ParsedArgs, ...names: string[]) => parsed.options.some((o) => names.includes(o.name));
export const valueOf = (parsed: ParsedArgs, name: string) => parsed.options.findLast((o) => o.name === name)?.value;
