import { call } from '../../api/procdeck';
import { downloadText } from '../../lib/download';
import { pushNotice } from '../../stores/noticesStore';

/** Downloads a subject's samples as CSV. */
export async function exportCsv(subjectId: string, fileName: string): Promise<void> {
  const result = await call('monitor.csv', { subjectId });
  if (!result.ok) {
    pushNotice('error', `Export CSV: ${result.error.message}`);
    return;
  }
  downloadText(result.value.csv, fileName, 'text/csv');
}

/** A file name from a job or process name: no path separators or shell-awkward characters. */
export function csvFileName(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'samples';
  return `${safe}.csv`;
}
