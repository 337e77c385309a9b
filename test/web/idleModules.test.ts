import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait';
import { PROMETHEUS_CONTENT_TYPE } from '../../electron/host/metrics/procdeckMetrics';
import { bearer, httpCall } from './apiHelpers';
import { TEST_TOKEN } from './helpers';
import { startHostChild, stopHostChildren, type HostChild } from './hostChild';

afterEach(stopHostChildren);

const PROBE = resolve(import.meta.dirname, '../support/loadedPackagesProbe.ts');

/** The packages the host has loaded, asked of the probe preloaded into it. */
async function loadedPackages(host: HostChild): Promise<string[]> {
  const before = host.stderr().length;
  host.process.kill('SIGUSR2');
  const line = await waitFor(() => /loaded packages: (.*)\n/.exec(host.stderr().slice(before))?.[1], 'the probe to list the loaded packages');
  return JSON.parse(line) as string[];
}

describe('what an idle host keeps out of memory', () => {
  it('loads prom-client at the first scrape, not before, and pidusage only where there is no /proc', async () => {
    const host = await startHostChild({ token: TEST_TOKEN, nodeArgs: ['--import', PROBE] });
    const idle = await loadedPackages(host);
    expect(idle).toContain('ws'); // the probe sees CommonJS packages at all
    expect(idle).not.toContain('prom-client');
    expect(idle).not.toContain('@opentelemetry/api');
    expect(idle).not.toContain('pidusage');

    const response = await httpCall(host.port, { method: 'GET', path: '/metrics', headers: bearer() });
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(response.text).toContain('procdeck_jobs{state="running"} 0');
    expect(response.text).toContain('process_cpu_seconds_total');
    expect(await loadedPackages(host)).toContain('prom-client');
  });

  it("announces prom-client's own content type before prom-client is loaded", async () => {
    const { Registry } = await import('prom-client');
    expect(PROMETHEUS_CONTENT_TYPE).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  });
});
