import { useJobsStore } from '../../stores/jobsStore';
import { useWatchStore } from '../../stores/watchStore';

/** A subject id as the operator knows it: the job's name, or the watched process's pid and command. */
export function useSubjectNames(): (subjectId: string) => string {
  const jobs = useJobsStore((state) => state.jobs);
  const watched = useWatchStore((state) => state.watched);
  return (subjectId) => {
    const job = jobs[subjectId];
    if (job) return job.name;
    const process = watched[subjectId];
    if (process) return `${process.pid} ${process.command}`;
    return subjectId;
  };
}
