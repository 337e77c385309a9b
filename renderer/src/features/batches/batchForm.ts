import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { BatchRequest } from '../../../../shared/scheduling';

export type BatchField = 'lines' | 'template' | 'inputs' | 'limit' | 'group' | 'name' | 'cwd' | 'timeout' | 'form';
export type BatchErrors = Partial<Record<BatchField, string>>;

export interface BatchValues {
  kind: 'lines' | 'template';
  lines: string;
  template: string;
  inputs: string;
  limit: string;
  group: string;
  name: string;
  cwd: string;
  timeout: string;
}

export const emptyBatch = (limit: string): BatchValues => ({
  kind: 'lines',
  lines: '',
  template: '',
  inputs: '',
  limit,
  group: '',
  name: '',
  cwd: '',
  timeout: '',
});

/** The request, after checking only that numbers read as numbers; the engine judges the rest. */
export function buildBatchRequest(values: BatchValues): { request: BatchRequest } | { errors: BatchErrors } {
  const errors: BatchErrors = {};
  const request: BatchRequest =
    values.kind === 'lines' ? { lines: values.lines } : { template: values.template, inputs: values.inputs };
  if (values.limit.trim() !== '') {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit)) errors.limit = 'enter the limit as a whole number';
    else request.limit = limit;
  }
  if (values.timeout.trim() !== '') {
    const seconds = Number(values.timeout);
    if (Number.isNaN(seconds)) errors.timeout = 'enter the timeout as a number of seconds';
    else request.timeoutMs = Math.round(seconds * 1000);
  }
  if (values.group.trim() !== '') request.group = values.group.trim();
  if (values.name.trim() !== '') request.name = values.name.trim();
  if (values.cwd.trim() !== '') request.cwd = values.cwd.trim();
  return Object.keys(errors).length > 0 ? { errors } : { request };
}

/** The dialog's field an engine error is about, and the message without its redundant path prefix. */
export function batchErrorFor(error: ProcdeckErrorPayload, kind: BatchValues['kind']): BatchErrors {
  const path = error.field?.split('.')[0];
  const message = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  switch (path) {
    case 'lines':
      // "give either lines or a template" and bad items land on whichever text was given.
      return kind === 'lines' ? { lines: message } : { template: message };
    case 'template':
    case 'inputs':
    case 'limit':
    case 'group':
    case 'name':
    case 'cwd':
      return { [path]: message };
    case 'timeoutMs':
      return { timeout: message };
    default:
      return { form: error.message };
  }
}
