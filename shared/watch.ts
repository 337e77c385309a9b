import { z } from 'zod';
import { lazySchema } from './lazySchema';

/** Changes closer together than this make one restart, where the file gives no debounce. */
export const WATCH_DEBOUNCE_DEFAULT_MS = 500;

/** Restart a declared service when files under these paths change (chokidar in the engine). */
export const watchSchema = lazySchema(() => z.object({
  /** Absolute paths (files or directories, watched recursively). */
  paths: z
    .array(z.string().min(1).refine((path) => path.startsWith('/'), { message: 'a watched path is absolute here (the file resolves relative ones)' }))
    .min(1, 'watch at least one path')
    .max(100),
  /** Changes closer together than this make one restart. */
  debounceMs: z.number().int().min(0).max(3_600_000).default(WATCH_DEBOUNCE_DEFAULT_MS),
  /** Globs (as chokidar/picomatch read them) of paths whose changes are ignored. */
  ignore: z.array(z.string().min(1).max(1000)).max(100).default([]),
}));
export type WatchInput = z.input<typeof watchSchema>;
export type Watch = z.output<typeof watchSchema>;
