import { formatDuration } from '../../../shared/format';

/** A delay for a log note ("300 ms", "5 s", "12 h"): the one convention of shared/format. */
export const formatMs = (ms: number): string => formatDuration(ms);
