import { describe, expect, it } from 'vitest';
import { dependencyOrder, findCycles } from '../../../electron/engine/config/dependencies';

const graph = (edges: Record<string, string[]>) => Object.entries(edges).map(([name, deps]) => ({ name, dependsOn: deps.map((dep) => ({ name: dep })) }));

describe('dependency order', () => {
  it('puts every dependency before its dependants, else keeps the declared order', () => {
    expect(dependencyOrder(graph({ web: ['db', 'cache'], worker: ['web'], db: [], cache: [], cron: [] }))).toEqual(['db', 'cache', 'web', 'worker', 'cron']);
  });

  it('ignores names outside the set, and puts a cycle last', () => {
    expect(dependencyOrder(graph({ a: ['b'], b: ['a'], c: ['elsewhere'] }))).toEqual(['c', 'a', 'b']);
  });

  it('orders a long chain without running out of stack', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `j${i}`);
    const nodes = names.map((name, i) => ({ name, dependsOn: i + 1 < names.length ? [{ name: names[i + 1]! }] : [] }));
    expect(dependencyOrder(nodes)).toEqual([...names].reverse());
    expect(findCycles(nodes)).toEqual([]);
  });
});

describe('dependency cycles', () => {
  it('finds each cycle once, as the path it takes from its first-declared member', () => {
    expect(findCycles(graph({ x: [], c: ['a'], a: ['b'], b: ['c'], s: ['s'], p: ['q'], q: ['p', 'x'] }))).toEqual([['c', 'a', 'b'], ['s'], ['p', 'q']]);
  });

  it('reports the shortest way round a component with several loops', () => {
    expect(findCycles(graph({ a: ['b', 'c'], b: ['c'], c: ['a'] }))).toEqual([['a', 'c']]);
  });

  it('finds a cycle at the end of a 3000-job chain', () => {
    const nodes = Array.from({ length: 3000 }, (_, i) => ({ name: `j${i}`, dependsOn: [{ name: `j${i === 2999 ? 2998 : i + 1}` }] }));
    expect(findCycles(nodes)).toEqual([['j2998', 'j2999']]);
  });
});
