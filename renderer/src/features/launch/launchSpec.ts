import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { JobSpecInput } from '../../../../shared/jobSpec';
import { parseEnvLines } from './parseEnvLines';
import { schedulingFieldFor, type SchedulingField } from './schedulingSpec';
import { splitArgv } from './splitArgv';

export type LaunchField = 'command' | 'cwd' | 'env' | 'timeout' | 'name' | 'where';
export type LaunchErrors = Partial<Record<LaunchField | SchedulingField | 'form', string>>;

export interface LaunchValues {
  command: string;
  runAs: 'shell' | 'argv';
  cwd: string;
  env: string;
  envMode: 'inherit' | 'clean';
  /** Seconds as typed; `timeoutUnreadable` is set when the browser could not read a number. */
  timeout: string;
  timeoutUnreadable: boolean;
  name: string;
}

export const EMPTY_LAUNCH: LaunchValues = {
  command: '',
  runAs: 'shell',
  cwd: '',
  env: '',
  envMode: 'inherit',
  timeout: '',
  timeoutUnreadable: false,
  name: '',
};

/**
 * Turns the form into a job spec. Only what the form itself must understand is checked here
 * (word splitting, KEY=value lines, a readable number); the engine validates the rest.
 */
export function buildSpec(values: LaunchValues): { spec: JobSpecInput } | { errors: LaunchErrors } {
  const errors: LaunchErrors = {};
  let command: JobSpecInput['command'] | undefined;
  if (values.runAs === 'shell') {
    if (values.command.trim() === '') errors.command = 'enter a command to run';
    else command = { kind: 'shell', script: values.command };
  } else {
    const split = splitArgv(values.command);
    if (split.ok) command = { kind: 'argv', program: split.argv[0]!, args: split.argv.slice(1) };
    else errors.command = split.error;
  }

  const env = parseEnvLines(values.env);
  if (!env.ok) errors.env = env.error;

  let timeoutMs: number | undefined;
  const timeoutText = values.timeout.trim();
  if (values.timeoutUnreadable) errors.timeout = 'enter the timeout as a number of seconds';
  else if (timeoutText !== '') {
    const seconds = Number(timeoutText);
    if (Number.isNaN(seconds)) errors.timeout = 'enter the timeout as a number of seconds';
    else timeoutMs = Math.round(seconds * 1000);
  }

  if (!command || !env.ok || Object.keys(errors).length > 0) return { errors };
  const spec: JobSpecInput = {
    command,
    env: { mode: values.envMode, set: env.set },
  };
  if (values.cwd.trim() !== '') spec.cwd = values.cwd.trim();
  if (values.name.trim() !== '') spec.name = values.name.trim();
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  return { spec };
}

/** The engine's message without the "spec.cwd: " prefix, which is redundant next to the field. */
export function messageForField(error: ProcdeckErrorPayload): string {
  if (!error.field) return error.message;
  for (const prefix of [`${error.field}: `, `spec.${error.field}: `]) {
    if (error.message.startsWith(prefix)) return error.message.slice(prefix.length);
  }
  return error.message;
}

/** Which form field an engine error belongs to: by its field path, else by what went wrong. */
export function fieldForError(error: ProcdeckErrorPayload): LaunchField | SchedulingField | 'form' {
  const path = error.field?.replace(/^spec\./, '');
  if (path) {
    if (path.startsWith('command')) return 'command';
    if (path === 'cwd') return 'cwd';
    if (path.startsWith('env')) return 'env';
    if (path === 'timeoutMs') return 'timeout';
    if (path === 'name') return 'name';
    if (path.startsWith('where')) return 'where';
    return schedulingFieldFor(path) ?? 'form';
  }
  if (error.code === 'COMMAND_NOT_FOUND' || error.code === 'NOT_EXECUTABLE') return 'command';
  if (error.code === 'CWD_NOT_FOUND') return 'cwd';
  return 'form';
}
