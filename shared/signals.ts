import { z } from 'zod';

/** Signals an operator may send by name. Numbers are Linux's. */
export const SIGNALS = [
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE',
  'SIGALRM', 'SIGTERM', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGWINCH',
] as const;
export const signalNameSchema = z.enum(SIGNALS, {
  error: (issue) => `unknown signal ${JSON.stringify(issue.input)}; expected one of ${SIGNALS.join(', ')}`,
});
export type SignalName = z.infer<typeof signalNameSchema>;
