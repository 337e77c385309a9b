import type { IsolationLevel } from '../../../../shared/isolation';
import { jobSpecSchema, type JobSpec, type JobSpecInput } from '../../../../shared/jobSpec';
import type { DeclaredRef } from '../../../../shared/jobSnapshot';
import { canonical, cloneIntoForm, type ClonedForm } from './cloneSpec';

/** A declared job's definition being edited in the launch form: where it is, and its spec before and as the form holds it. */
export interface DefinitionEdit {
  /** Its name in the file: what Save definition replaces. */
  name: string;
  file: string;
  /** Kept as it is: the Config file dialog sets it. */
  autostart: boolean;
  /** The spec in force. */
  original: JobSpec;
  /** The spec the form gave back when filled (absent when it could not be read back). */
  rebuilt?: JobSpec;
}

export interface EditedForm extends ClonedForm {
  edit: DefinitionEdit;
}

/**
 * The launch form filled from a definition, to save it back: the clone's mapping (cloneIntoForm),
 * under the definition's own name. What the form cannot hold is listed as the clone lists it;
 * saving keeps it (specToSave), and the file keeps what a spec does not carry (probes, schedule…).
 */
export function editIntoForm(
  job: { spec: JobSpec; declared: DeclaredRef },
  defaultLevel: IsolationLevel,
  jobNames: Readonly<Record<string, string>> = {},
): EditedForm {
  const { declared } = job;
  const cloned = cloneIntoForm({ name: declared.name, spec: job.spec }, defaultLevel, jobNames);
  return {
    ...cloned,
    form: { ...cloned.form, launch: { ...cloned.form.launch, name: declared.name } },
    edit: { name: declared.name, file: declared.file, autostart: declared.autostart ?? false, original: job.spec, ...(cloned.rebuilt && { rebuilt: cloned.rebuilt }) },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A three-way merge of the edited spec over the original: where the operator changed what the
 * form held (edited differs from rebuilt), the edit; where not, the original, so what the form
 * could not hold (a grace period, stdin closed, a variable with a line break, the order of cores)
 * comes back as it was. Objects merge key by key; lists and other values are taken whole.
 */
export function mergeOver<T>(original: T, rebuilt: T, edited: T): T {
  return mergeValues(original, rebuilt, edited) as T;
}

function mergeValues(original: unknown, rebuilt: unknown, edited: unknown): unknown {
  if (isRecord(original) && isRecord(rebuilt) && isRecord(edited)) {
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(original), ...Object.keys(rebuilt), ...Object.keys(edited)])) {
      const value = mergeValues(original[key], rebuilt[key], edited[key]);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  return canonical(edited) === canonical(rebuilt) ? original : edited;
}

/**
 * The spec Save definition sends: the form's over the original (mergeOver). Its dependencies are
 * the form's (none, unless picked): the file says a definition's by name and keeps them, the
 * spec in force has them as the job ids they resolved to. Refused when the form could not read
 * the definition back whole: the merge would have nothing to compare the edit with.
 */
export function specToSave(edit: DefinitionEdit, edited: JobSpecInput): { spec: JobSpecInput } | { error: string } {
  if (!edit.rebuilt) return { error: `${edit.name} could not be read into this form whole, so saving it from here could lose some of it: edit it in ${edit.file}` };
  const parsed = jobSpecSchema.safeParse(edited);
  // The engine parses it with the same schema and names what is wrong.
  if (!parsed.success) return { spec: edited };
  return { spec: { ...mergeOver(edit.original, edit.rebuilt, parsed.data), dependsOn: parsed.data.dependsOn } };
}
