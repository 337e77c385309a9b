import { InvalidArgumentError } from 'commander';

/**
 * An option's whole-number value (digits only: "1e3", "0x10", " 5" and "-1" are refused, as
 * Number() would take some of them), of at least `min`. Commander reports the refusal as a
 * usage error (exit 2) naming the option.
 */
export function wholeNumber(what: string, min = 1) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min) throw new InvalidArgumentError(`${what} is a whole number of at least ${min}, not ${JSON.stringify(text)}`);
    return Number(text);
  };
}
