let counter = 0;

/**
 * A new id: the prefix, the clock in ms and a counter, both in base 36 ("j" + "mc4x1b2k" + "0").
 * Unique within a process however fast ids are made (the counter, shared by every prefix), and
 * across restarts while the clock does not go back (the time). The time part is eight digits
 * wide from 1972 to 2059, so "time + counter" can never read as another time and counter.
 * Not a secret: tokens and login codes need a cryptographic random source, not this.
 */
export function newId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
}
