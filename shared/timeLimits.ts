/** The longest wall-clock limit a job may name (30 days): a job's timeout and a cluster's time limit alike. */
export const MAX_TIMEOUT_MS = 30 * 24 * 3600 * 1000;
