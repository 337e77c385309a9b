/** The longest duration a job's timeout (or a cluster's time limit) may have: 30 days. */
export const MAX_TIMEOUT_MS = 30 * 24 * 3600 * 1000;
