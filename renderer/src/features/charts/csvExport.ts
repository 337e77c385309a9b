import { call } from '../../api/procdeck';
import { pushNotice } from '../../stores/noticesStore';

/** Downloads a subject's samples as CSV through a Blob URL (works in the browser and in Electron). */
export async function exportCsv(subjectId: string, fileName: string): Promise<void> {
  const result = await call('monitor.csv', { subjectId });
  if (!result.ok) {
    pushNotice('error', `Export CSV: ${result.error.message}`);
    return;
  }
  const url = URL.createObjectURL(new Blob([result.value.csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; revoke on the next turn, not synchronously.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a job or process name: no path separators or shell-awkward characters. */
export function csvFileName(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'samples';
  return `${safe}.csv`;
}
