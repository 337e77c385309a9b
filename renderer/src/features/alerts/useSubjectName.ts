import { useJobsStore } from '../../stores/jobsStore';
import { useWatchStore } from '../../stores/watchStore';

/**
 * A subject id as the operator knows it: the job's name, or the watched process's pid and
 * command; for one since removed, the name the alert recorded when it fired.
 */
export function useSubjectNames(): (subjectId: string, recorded?: string) => string {
  const jobs = useJobsStore((state) => state.jobs);
  const watched = useWatchStore((state) => state.watched);
  return (subjectId, recorded) => {
    const job = jobs[subjectId];
    if (job) return job.name;
    const process = watched[subjectId];
    if (process) return `${process.pid} ${process.command}`;
    return recorded ?? subjectId;
  };
}
