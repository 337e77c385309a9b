import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { isFinal, type JobState } from '../../../../shared/jobState';

export type JobActionId = 'stop' | 'kill' | 'restart' | 'pause' | 'resume' | 'signal' | 'clone' | 'remove';

/** One thing a row (or a bulk pick) can do to a job: the same entry drives its button, its menu item, its key and its help line. */
export interface JobAction {
  id: JobActionId;
  /** The accessible name: exact and stable, tests and screen readers rely on it. */
  label: string;
  /** What the button shows. */
  text: string;
  /** The key that runs it on the current job, or on every picked one (KeyboardEvent.key). */
  key: string;
  /** The key as the help shows it. */
  keyLabel: string;
  /** The help line. */
  help: string;
  title?: string;
  tone?: 'danger' | 'quiet';
  /** Offered for several jobs at once (bulk bar and keys). */
  bulk: boolean;
  applies(job: JobSnapshot): boolean;
}

const states = (...list: JobState[]) => {
  const set = new Set<JobState>(list);
  return (job: JobSnapshot) => set.has(job.state);
};

/** In row order. Pause and Resume share their key and their place: a job is one or the other. */
export const JOB_ACTIONS: readonly JobAction[] = [
  {
    id: 'stop',
    label: 'Stop',
    text: 'Stop',
    key: 's',
    keyLabel: 's',
    help: 'Stop (SIGTERM, then SIGKILL after the grace period)',
    bulk: true,
    applies: states('queued', 'starting', 'running', 'paused'),
  },
  {
    id: 'kill',
    label: 'Kill',
    text: 'Kill',
    key: 'k',
    keyLabel: 'k',
    help: 'Kill (SIGKILL; asks first unless turned off)',
    tone: 'danger',
    bulk: true,
    applies: states('queued', 'starting', 'running', 'paused', 'stopping'),
  },
  { id: 'restart', label: 'Restart', text: 'Restart', key: 'r', keyLabel: 'r', help: 'Restart (a running job is stopped first)', bulk: true, applies: () => true },
  { id: 'pause', label: 'Pause', text: 'Pause', key: 'p', keyLabel: 'p', help: 'Pause / resume (SIGSTOP / SIGCONT)', bulk: true, applies: states('running') },
  { id: 'resume', label: 'Resume', text: 'Resume', key: 'p', keyLabel: 'p', help: 'Pause / resume (SIGSTOP / SIGCONT)', bulk: true, applies: states('paused') },
  {
    id: 'signal',
    label: 'Signal',
    text: 'Signal…',
    key: 'g',
    keyLabel: 'g',
    help: 'Send a signal… (any signal, to every process of the job)',
    title: 'Send a signal to every process of the job',
    bulk: false,
    applies: states('running', 'paused', 'stopping'),
  },
  {
    id: 'clone',
    label: 'Clone into the launch form',
    text: 'Clone',
    key: 'c',
    keyLabel: 'c',
    help: 'Clone into the launch form: the form filled from the job, under a new name; nothing starts until Start',
    title: 'Fill the launch form from this job (nothing starts until you press Start)',
    tone: 'quiet',
    bulk: false,
    applies: () => true,
  },
  {
    id: 'remove',
    label: 'Remove',
    text: '✕',
    key: 'Delete',
    keyLabel: 'Delete',
    help: 'Remove a finished job from the list',
    title: 'Remove from the list',
    tone: 'quiet',
    bulk: true,
    applies: (job) => isFinal(job.state),
  },
];

export const jobAction = (id: JobActionId): JobAction => JOB_ACTIONS.find((action) => action.id === id)!;

/** The actions a row shows: Resume in Pause's place while the job is paused. */
export const rowActionsFor = (job: JobSnapshot): JobAction[] =>
  JOB_ACTIONS.filter((action) => (job.state === 'paused' ? action.id !== 'pause' : action.id !== 'resume'));
