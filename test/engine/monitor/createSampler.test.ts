import { describe, expect, it } from 'vitest';
import { createSampler } from '../../../electron/engine/monitor/createSampler';

describe('createSampler', () => {
  it('picks the /proc sampler on Linux', () => {
    const sampler = createSampler();
    expect(sampler.kind).toBe(process.platform === 'linux' ? 'procfs' : 'pidusage');
    sampler.dispose();
  });
});
