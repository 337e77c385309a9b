import { create } from 'zustand';
import type { JobSnapshot } from '../../../shared/jobSnapshot';

interface JobsState {
  jobs: Record<string, JobSnapshot>;
  /** False until the first jobs.list answer. */
  loaded: boolean;
  replaceAll(jobs: readonly JobSnapshot[]): void;
  apply(changed: readonly JobSnapshot[], removedIds: readonly string[]): void;
}

export const useJobsStore = create<JobsState>()((set) => ({
  jobs: {},
  loaded: false,

  replaceAll: (jobs) => set({ jobs: Object.fromEntries(jobs.map((job) => [job.id, job])), loaded: true }),

  apply: (changed, removedIds) =>
    set((state) => {
      if (changed.length === 0 && removedIds.length === 0) return state;
      const jobs = { ...state.jobs };
      for (const job of changed) jobs[job.id] = job;
      for (const id of removedIds) delete jobs[id];
      return { jobs };
    }),
}));
