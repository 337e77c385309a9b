import { existsSync } from 'node:fs';
import { createPidusageSampler } from './pidusageSampler';
import { createProcfsSampler } from './procfsSampler';
import type { TreeSampler } from './sampler';

/** The one-scan /proc sampler where /proc exists (Linux), pidusage elsewhere. */
export function createSampler(): TreeSampler {
  return existsSync('/proc/self/stat') ? createProcfsSampler() : createPidusageSampler();
}
