import { inspect } from 'node:util';

/** Where faults nobody foresaw are reported: a headline saying what failed, then the stack. */
export type FaultLog = (headline: string, error: unknown) => void;

export const describeFault = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : inspect(error, { depth: 3, breakLength: Infinity });

export const logFault: FaultLog = (headline, error) => {
  console.error(`procdeck: ${headline}: ${describeFault(error)}`);
};
