/**
 * A module-level schema built at its first use instead of at import (issue 15: an idle server
 * held ~2,500 zod schemas, ~3 MB of heap, most of them for responses and events it never
 * parses, or for a job spec before any job came). `build` runs once, at the first property
 * read (a parse, a method, zod reading `_zod` while it parses a schema this one is part of);
 * the value stands for the schema everywhere, with its exact type, and everything forwards to
 * the built one. A schema made from it at module level by a method (`.extend`, `.optional`)
 * builds it then: wrap that one too.
 *
 * zod's `instanceof` checks read `_zod.traits`, so they hold; its JSON Schema output inlines
 * a schema used twice whether or not both uses are the same object.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => (built ??= build());
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(schema(), key),
    set: (_target, key, value) => Reflect.set(schema(), key, value),
    has: (_target, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: the proxy's own target is an empty object, and a proxy may only
    // report a non-configurable property its target has.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
