/**
 * The dependency graph of a set of definitions (job → the jobs it depends on, by name):
 * the order to start them in, and the cycles that make any order impossible.
 */
export interface DependencyNode {
  name: string;
  dependsOn: readonly { name: string }[];
}

/**
 * Each cycle once, as the path it takes: ['a', 'b', 'c'] is a → b → c → a (a depends on b…).
 * A cycle starts at its member declared first; cycles come in the order of their first member.
 */
export function findCycles(nodes: readonly DependencyNode[]): string[][] {
  const edges = edgesOf(nodes);
  const cycles: string[][] = [];
  for (const component of stronglyConnected(nodes, edges)) {
    const [start] = component;
    const self = edges.get(start!)!.includes(start!);
    if (component.length === 1 && !self) continue;
    cycles.push(self ? [start!] : pathBack(start!, new Set(component), edges));
  }
  return cycles;
}

/**
 * Names with every dependency before its dependants; among jobs free to go, the order they
 * were declared in. Dependencies on names outside `nodes` are ignored (the caller reports
 * them); a cycle's members come last, in declaration order, since no order serves them.
 */
export function dependencyOrder(nodes: readonly DependencyNode[]): string[] {
  const edges = edgesOf(nodes);
  const position = new Map(nodes.map((node, index) => [node.name, index]));
  const placed = new Set<string>();
  const order: string[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const node of nodes) {
      if (placed.has(node.name) || !edges.get(node.name)!.every((dep) => placed.has(dep) || !position.has(dep))) continue;
      placed.add(node.name);
      order.push(node.name);
      progress = true;
      // Back to the first unplaced job: one whose dependency was just placed may come before later ones.
      break;
    }
  }
  for (const node of nodes) if (!placed.has(node.name)) order.push(node.name);
  return order;
}

function edgesOf(nodes: readonly DependencyNode[]): Map<string, string[]> {
  const known = new Set(nodes.map((node) => node.name));
  return new Map(nodes.map((node) => [node.name, node.dependsOn.map((dep) => dep.name).filter((dep) => known.has(dep))]));
}

/** Tarjan's algorithm, iterative (a 1000-job chain must not overflow the stack); members in declaration order. */
function stronglyConnected(nodes: readonly DependencyNode[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const declared = new Map(nodes.map((node, i) => [node.name, i]));
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root.name)) continue;
    const work: { name: string; next: number }[] = [{ name: root.name, next: 0 }];
    index.set(root.name, counter);
    low.set(root.name, counter++);
    stack.push(root.name);
    onStack.add(root.name);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.name)!;
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ name: target, next: 0 });
        } else if (onStack.has(target)) low.set(frame.name, Math.min(low.get(frame.name)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) !== index.get(frame.name)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.name);
      components.push(component.sort((a, b) => declared.get(a)! - declared.get(b)!));
    }
  }
  return components.sort((a, b) => declared.get(a[0]!)! - declared.get(b[0]!)!);
}

/** A path from start through the component back to start (breadth first: the shortest). */
function pathBack(start: string, component: Set<string>, edges: Map<string, string[]>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const current = queue.shift()!;
    for (const next of edges.get(current)!) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [current];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return path;
      }
      if (!cameFrom.has(next) && next !== start) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return [start];
}
