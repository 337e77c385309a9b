import { describe, expect, it } from 'vitest';
import { orderProcesses, treeOrder } from '../../../electron/engine/monitor/systemProcessOrder';
import { systemProcessQuerySchema, type SystemProcess, type SystemProcessQueryInput } from '../../../shared/monitoring';

function row(pid: number, ppid: number, extra: Partial<SystemProcess> = {}): SystemProcess {
  return { pid, ppid, startTime: pid, uid: 0, user: 'root', command: `cmd${pid}`, cpu: 0, rss: 0, state: 'S', nice: 0, threads: 1, depth: 0, ...extra };
}

const rows = [
  row(1, 0, { command: '/sbin/init', cpu: 1, rss: 10 }),
  row(20, 1, { command: 'sshd', user: 'root', cpu: 5, rss: 30 }),
  row(21, 20, { command: 'bash', user: 'alice', cpu: 0, rss: 5 }),
  row(22, 21, { command: 'python train.py', user: 'alice', cpu: 190, rss: 900 }),
  row(30, 1, { command: 'postgres', user: 'postgres', cpu: 12, rss: 400 }),
  row(31, 30, { command: 'postgres: writer', user: 'postgres', cpu: 3, rss: 50 }),
  row(2, 0, { command: '[kthreadd]', cpu: 0, rss: 0 }),
];

const order = (query: SystemProcessQueryInput) => orderProcesses(rows, systemProcessQuerySchema.parse(query));
const pids = (list: SystemProcess[]) => list.map((r) => r.pid);

describe('system process order', () => {
  it('sorts by each key, ties broken by pid', () => {
    expect(pids(order({ sort: 'cpu' }))).toEqual([22, 30, 20, 31, 1, 2, 21]);
    expect(pids(order({ sort: 'memory', descending: true }))).toEqual([22, 30, 31, 20, 1, 21, 2]);
    expect(pids(order({ sort: 'pid', descending: false }))).toEqual([1, 2, 20, 21, 22, 30, 31]);
    expect(pids(order({ sort: 'user', descending: false }))).toEqual([21, 22, 30, 31, 1, 2, 20]);
    expect(pids(order({ sort: 'command', descending: false }))).toEqual([1, 2, 21, 30, 31, 22, 20]);
  });

  it('filters on command, user or exact pid, case-insensitively', () => {
    expect(pids(order({ filter: 'POSTGRES', sort: 'pid', descending: false }))).toEqual([30, 31]);
    expect(pids(order({ filter: 'alice', sort: 'pid', descending: false }))).toEqual([21, 22]);
    expect(pids(order({ filter: '22' }))).toEqual([22]);
  });

  it('cuts to the limit after sorting', () => {
    expect(pids(order({ sort: 'cpu', limit: 2 }))).toEqual([22, 30]);
  });

  it('orders a tree depth-first with depths, siblings by the sort key', () => {
    const tree = order({ tree: true, sort: 'cpu' });
    expect(tree.map((r) => [r.pid, r.depth])).toEqual([
      [1, 0],
      [30, 1],
      [31, 2],
      [20, 1],
      [21, 2],
      [22, 3],
      [2, 0],
    ]);
  });

  it('keeps the ancestors of filtered rows in tree mode', () => {
    const tree = treeOrder(rows, { sort: 'pid', descending: false, filter: 'train' });
    expect(tree.map((r) => [r.pid, r.depth])).toEqual([
      [1, 0],
      [20, 1],
      [21, 2],
      [22, 3],
    ]);
  });

  it('treats a row whose parent is missing as a root, and survives a parent loop', () => {
    const orphan = treeOrder([row(5, 4), row(6, 5), row(7, 7)], { sort: 'pid', descending: false, filter: '' });
    expect(orphan.map((r) => [r.pid, r.depth])).toEqual([
      [5, 0],
      [6, 1],
      [7, 0],
    ]);
  });
});
