import type { ProcdeckErrorPayload } from '../../../../shared/errors';
import type { JobSnapshot } from '../../../../shared/jobSnapshot';
import { call } from '../../api/procdeck';
import { useConfigStore } from '../../stores/configStore';
import type { ConfigOutcome } from './configOutcome';
import { splitConfigError } from './configText';

const refused = (error: ProcdeckErrorPayload): ConfigOutcome => ({ kind: 'errors', ...splitConfigError(error.message) });

/** config.diff: what applying the file would change. Changes nothing. */
export async function showChanges(path: string): Promise<ConfigOutcome> {
  const result = await call('config.diff', { path });
  return result.ok ? { kind: 'diff', diff: result.value, onDisk: false } : refused(result.error);
}

/**
 * config.apply, for the first file as for a later one (config.load is the same command under
 * the name of a first load): new definitions made, removed ones stopped, changed running
 * services restarted one by one. A bad file changes nothing.
 */
export async function applyFile(path: string): Promise<ConfigOutcome> {
  const result = await call('config.apply', { path });
  return result.ok ? { kind: 'applied', result: result.value } : refused(result.error);
}

/** config.saveDefinition: the job's spec written into the file as a definition, then the file applied. */
export async function saveAsDefinition(job: JobSnapshot, options: { name: string; autostart: boolean; replace: boolean }): Promise<ConfigOutcome> {
  const result = await call('config.saveDefinition', { ...options, spec: job.spec });
  return result.ok ? { kind: 'applied', result: result.value } : refused(result.error);
}

/** config.setAutostart: the definition starts with Procdeck, or no longer does (the file edited, then applied). */
export async function setAutostart(name: string, autostart: boolean): Promise<ConfigOutcome> {
  const result = await call('config.setAutostart', { name, autostart });
  return result.ok ? { kind: 'applied', result: result.value } : refused(result.error);
}

/** config.export: the definitions in force as YAML. */
export async function exportDefinitions(): Promise<ConfigOutcome> {
  const result = await call('config.export', {});
  return result.ok ? { kind: 'export', yaml: result.value.yaml } : refused(result.error);
}

/** Asked after each (re)connection: the file in force and its latest reading (events missed while away are not replayed). */
export async function loadConfigStatus(): Promise<void> {
  const result = await call('config.status', {});
  if (result.ok) useConfigStore.getState().replaceStatus(result.value);
}
