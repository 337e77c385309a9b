import { formatBytes, formatDuration } from '../../../shared/format';

/**
 * Values for limit descriptions and end reasons ("256 MiB", "10 min"): the one convention of
 * shared/format, so a limit reads the same in its description, in the reason it ended a run,
 * and in the UI ("1500 MiB" everywhere, never "1.5 GiB" here and "1.46 GiB" there).
 */
export { formatBytes, formatDuration };

export const formatSeconds = (seconds: number): string => formatDuration(seconds * 1000);
