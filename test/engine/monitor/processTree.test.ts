import { describe, expect, it } from 'vitest';
import { buildForest, collectTree, type ProcessLinks } from '../../../electron/engine/monitor/processTree';
import { parsePsLinks } from '../../../electron/engine/monitor/psProcessList';

const links = (pid: number, ppid: number, pgid = pid): ProcessLinks => ({ pid, ppid, pgid });

describe('collectTree', () => {
  const processes = [
    links(1, 0),
    links(10, 1),
    links(11, 10, 10),
    links(12, 10, 10),
    links(13, 11, 10),
    links(14, 1, 10), // daemonized member of group 10: its parent exited, init adopted it
    links(15, 14, 10),
    links(20, 1),
    links(21, 20, 20),
  ];
  const forest = buildForest(processes);

  it('returns the root first, then its descendants breadth first', () => {
    expect(collectTree(forest, links(11, 10, 10))).toEqual([11, 13]);
    expect(collectTree(forest, links(20, 1))).toEqual([20, 21]);
  });

  it('adds the members of the group the root leads, with their descendants', () => {
    expect(collectTree(forest, links(10, 1))).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('returns just the root when it has no children', () => {
    expect(collectTree(forest, links(99, 1, 98))).toEqual([99]);
  });
});

describe('parsePsLinks', () => {
  it('reads pid, ppid and pgid columns and skips junk', () => {
    expect(parsePsLinks('    1     0     1\n  200     1   200\n\nbad line\n')).toEqual([links(1, 0), links(200, 1)]);
  });
});
