import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazySchema } from '../../shared/lazySchema';

// Issue 15: module-level schemas of shared/ are built at their first use (shared/lazySchema.ts).
// What it stands for must behave as the schema itself, wherever zod meets it.
const eagerPoint = () => z.object({ x: z.number().int().min(0), label: z.string().default('origin') });

describe('a lazy schema', () => {
  it('is built at its first use, once', () => {
    let builds = 0;
    const point = lazySchema(() => (builds++, eagerPoint()));
    const line = z.object({ from: point, to: z.array(point) });
    expect(builds).toBe(0); // a schema made of it does not build it either
    expect(line.parse({ from: { x: 1 }, to: [] })).toEqual({ from: { x: 1, label: 'origin' }, to: [] });
    expect(point.parse({ x: 2, label: 'b' })).toEqual({ x: 2, label: 'b' });
    expect(builds).toBe(1);
  });

  it('parses, refuses and answers as the schema it builds', () => {
    const point = lazySchema(eagerPoint);
    const eager = eagerPoint();
    for (const input of [{ x: 3 }, { x: -1 }, { x: 1.5 }, { label: 'no x' }, 'text', null]) {
      expect(point.safeParse(input)).toEqual(eager.safeParse(input));
    }
    expect(point instanceof z.ZodObject).toBe(true);
    expect(Object.keys(point.shape)).toEqual(['x', 'label']);
    expect(point.extend({ y: z.number() }).parse({ x: 1, y: 2 })).toEqual({ x: 1, y: 2, label: 'origin' });
  });

  it('inside unions, arrays and records, and in its JSON Schema', () => {
    const lazyShape = lazySchema(() => z.discriminatedUnion('kind', [z.object({ kind: z.literal('dot'), at: lazySchema(eagerPoint) }), z.object({ kind: z.literal('none') })]));
    const eagerShape = z.discriminatedUnion('kind', [z.object({ kind: z.literal('dot'), at: eagerPoint() }), z.object({ kind: z.literal('none') })]);
    const lazyDoc = z.object({ shapes: z.array(lazyShape), byName: z.record(z.string(), lazyShape) });
    const eagerDoc = z.object({ shapes: z.array(eagerShape), byName: z.record(z.string(), eagerShape) });
    const input = { shapes: [{ kind: 'dot', at: { x: 1 } }, { kind: 'none' }], byName: { a: { kind: 'dot', at: { x: -1 } } } };
    expect(lazyDoc.safeParse(input)).toEqual(eagerDoc.safeParse(input));
    expect(lazyDoc.safeParse({ shapes: [{ kind: 'square' }], byName: {} })).toEqual(eagerDoc.safeParse({ shapes: [{ kind: 'square' }], byName: {} }));
    for (const io of ['input', 'output'] as const) expect(z.toJSONSchema(lazyDoc, { io })).toEqual(z.toJSONSchema(eagerDoc, { io }));
  });
});
