/** Node's own sentence for a failed file operation ("ENOSPC: no space left on device, write"). */
export function describeFsError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The disk (or the user's quota) is full: a condition that goes away, unlike a bad path. */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
