import { useEffect, useState } from 'react';
import type { ProcessTreeDetail } from '../../../../shared/monitoring';
import { call } from '../../api/procdeck';

/** How often the tree is asked for while it is on screen: it is a request, so keep it rare. */
export const TREE_REFRESH_MS = 2000;

export interface TreeState {
  /** Which subject the answer is for ('' before the first one). */
  subjectId: string;
  tree: ProcessTreeDetail | null;
  error?: string;
}

/** A job's (or watched process's) process tree, asked for every couple of seconds while `active`. */
export function useProcessTree(subjectId: string, active: boolean): TreeState | undefined {
  const [state, setState] = useState<TreeState>({ subjectId: '', tree: null });

  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Without overlap: the next request is scheduled once the previous answer is in.
    const load = async () => {
      const result = await call('monitor.tree', { subjectId });
      if (!live) return;
      setState(result.ok ? { subjectId, tree: result.value.tree } : { subjectId, tree: null, error: result.error.message });
      timer = setTimeout(() => void load(), TREE_REFRESH_MS);
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [subjectId, active]);

  return state.subjectId === subjectId ? state : undefined;
}
