/** Saves text as a file through a Blob URL (works in the browser and in Electron). */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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
