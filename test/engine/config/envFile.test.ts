import { describe, expect, it } from 'vitest';
import { parseEnvText } from '../../../electron/engine/config/envFile';

describe('env files (dotenv)', () => {
  it('reads the forms docker compose, foreman and python-dotenv agree on', () => {
    const text = [
      '# comment',
      '',
      'PLAIN=value with spaces   ',
      'export EXPORTED=yes',
      'EMPTY=',
      "SINGLE='literal \\n $HOME'",
      'DOUBLE="tab\\there \\"quoted\\""',
      'MULTI="line one',
      'line two"',
      'COMMENTED=value # a comment',
      'HASH=a#b',
      'EQUALS=a=b=c',
      '  INDENTED = spaced',
    ].join('\n');
    expect(parseEnvText(text)).toEqual({
      ok: true,
      values: {
        PLAIN: 'value with spaces',
        EXPORTED: 'yes',
        EMPTY: '',
        SINGLE: 'literal \\n $HOME',
        DOUBLE: 'tab\there "quoted"',
        MULTI: 'line one\nline two',
        COMMENTED: 'value',
        HASH: 'a#b',
        EQUALS: 'a=b=c',
        INDENTED: 'spaced',
      },
    });
  });

  it('names the line and column of every bad line', () => {
    expect(parseEnvText('OK=1\nno equals sign\n1BAD=x\nQ="open\n')).toEqual({
      ok: false,
      errors: [
        { line: 2, column: 1, message: 'a line is NAME=VALUE, not "no equals sign"' },
        { line: 3, column: 1, message: '"1BAD" is not a variable name (letters, digits, "_", starting with a letter or "_")' },
        { line: 4, column: 1, message: 'the value of Q opens a " quote that never closes' },
      ],
    });
  });
});
