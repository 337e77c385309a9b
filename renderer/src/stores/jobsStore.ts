import { create } from 'zustand';
import type { JobSnapshot } from '../../../shared/jobSnapshot';

interface JobsState {
  jobs: Record<string, JobSnapshot>;
  /** 1-based place in the pool's queue of each queued job (from queue.changed). */
  queuePositions: Record<string, number>;
  /** False until the first jobs.list answer. */
  loaded: boolean;
  replaceAll(jobs: readonly JobSnapshot[], queue: readonly string[]): void;
  apply(changed: readonly JobSnapshot[], removedIds: readonly string[]): void;
  setQueue(order: readonly string[]): void;
}

const positionsOf = (order: readonly string[]): Record<string, number> =>
  Object.fromEntries(order.map((jobId, index) => [jobId, index + 1]));

export const useJobsStore = create<JobsState>()((set) => ({
  jobs: {},
  queuePositions: {},
  loaded: false,

  replaceAll: (jobs, queue) =>
    set({ jobs: Object.fromEntries(jobs.map((job) => [job.id, job])), queuePositions: positionsOf(queue), loaded: true }),

  apply: (changed, removedIds) =>
    set((state) => {
      if (changed.length === 0 && removedIds.length === 0) return state;
      const jobs = { ...state.jobs };
      for (const job of changed) jobs[job.id] = job;
      for (const id of removedIds) delete jobs[id];
      return { jobs };
    }),

  setQueue: (order) => set({ queuePositions: positionsOf(order) }),
}));
