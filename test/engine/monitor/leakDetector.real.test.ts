import { afterEach, describe, expect, it } from 'vitest';
import { Monitoring } from '../../../electron/engine/monitor/monitoring';
import type { LeakVerdict } from '../../../shared/monitoring';
import { killGroups, sleep, startGroup } from './processes';

const MiB = 1024 * 1024;

afterEach(killGroups);

/** A node process that keeps 2 MiB more every 100 ms, for `growMs` (forever when omitted), then idles. */
function grower(growMs?: number) {
  const stop = growMs === undefined ? '' : `if (Date.now() - t0 > ${growMs}) return;`;
  const script = `const t0 = Date.now(); const kept = []; setInterval(() => { ${stop} kept.push(Buffer.alloc(2 * 1024 * 1024, 1)); }, 100);`;
  return startGroup(process.execPath, ['-e', script]);
}

describe('leak detection on real processes', () => {
  it('flags a steady grower and not one that grew then plateaued, both sampled by the /proc sampler', async () => {
    const steady = grower();
    const plateau = grower(1000);
    const startedAt = Date.now();
    const monitoring = new Monitoring({
      runOf: (id) => ({ runId: id, startedAt }),
      leak: { windowMs: 4000, minSlopeBytesPerMinute: 10 * MiB, minR2: 0.8 },
    });
    const roots = new Map([
      ['steady', steady.pid],
      ['plateau', plateau.pid],
    ]);
    const verdicts: Record<string, LeakVerdict[]> = { steady: [], plateau: [] };
    while (Date.now() - startedAt < 5500) {
      monitoring.tick(roots);
      for (const id of ['steady', 'plateau']) {
        const leak = monitoring.subject(id)?.leak;
        if (leak) verdicts[id]!.push(leak);
      }
      await sleep(200);
    }
    const judged = (id: string) => verdicts[id]!.filter((v) => v.spanMs >= 3600);
    expect(judged('steady').length).toBeGreaterThan(3);
    expect(judged('plateau').length).toBeGreaterThan(3);

    const last = verdicts.steady!.at(-1)!;
    expect(last.leaking).toBe(true);
    // 2 MiB per 100 ms is 1200 MiB/min; scheduling delays only slow it down.
    expect(last.growthMiBPerMinute).toBeGreaterThan(400);
    expect(last.growthMiBPerMinute).toBeLessThan(1400);
    expect(judged('steady').every((v) => v.leaking)).toBe(true);

    expect(judged('plateau').some((v) => v.leaking)).toBe(false);
    // It did grow (≈ 20 MiB within the first second): the detector saw growth and judged it over.
    expect(Math.max(...verdicts.plateau!.map((v) => v.slopeBytesPerMinute))).toBeGreaterThan(10 * MiB);
    monitoring.dispose();
  });
});
