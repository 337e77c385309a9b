import { afterEach, describe, expect, it } from 'vitest';
import { MonitorHarness } from './monitorHarness';
import type { LeakVerdict } from '../../../shared/monitoring';
import { killGroups, startGroup, waitForOutput, type Started } from './processes';

const MiB = 1024 * 1024;

afterEach(killGroups);

const GROWER = `const kept = []; let pending = '';
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let i = pending.indexOf('\\n'); i >= 0; i = pending.indexOf('\\n')) {
    pending = pending.slice(i + 1);
    kept.push(Buffer.alloc(2 * 1024 * 1024, 1));
    process.stdout.write('grown ' + kept.length + '\\n');
  }
});
console.log('ready');`;

/** A node process that keeps 2 MiB more (touched, so resident) each time it is told to, and says when it has. */
class Grower {
  private steps = 0;

  private constructor(readonly child: Started) {}

  static async start(): Promise<Grower> {
    const child = startGroup(process.execPath, ['-e', GROWER], { stdin: 'pipe', stdout: 'pipe' });
    await waitForOutput(child, 'ready\n');
    return new Grower(child);
  }

  async grow(steps: number): Promise<void> {
    this.steps += steps;
    this.child.stdin!.write('grow\n'.repeat(steps));
    await waitForOutput(this.child, `\ngrown ${this.steps}\n`);
  }
}

describe('leak detection on real processes', () => {
  it('flags a steady grower and not one that grew then plateaued, both sampled by the /proc sampler', async () => {
    const steady = await Grower.start();
    const plateau = await Grower.start();
    // The monitor's clock is the test's: each tick is 200 ms after the last however long the
    // machine takes, and both processes have grown by then exactly as told. Their memory is real.
    const startedAt = Date.now();
    let now = startedAt;
    const monitoring = new MonitorHarness({
      runOf: (id) => ({ runId: id, startedAt }),
      leak: { windowMs: 4000, minSlopeBytesPerMinute: 10 * MiB, minR2: 0.8 },
      now: () => now,
    });
    const roots = new Map([
      ['steady', steady.child.pid],
      ['plateau', plateau.child.pid],
    ]);
    const verdicts: Record<string, LeakVerdict[]> = { steady: [], plateau: [] };
    for (let elapsed = 0; elapsed < 5500; elapsed += 200) {
      if (elapsed > 0) {
        // 2 MiB per 100 ms; the plateau grower only for its first second.
        await steady.grow(2);
        if (elapsed <= 1000) await plateau.grow(2);
      }
      now = startedAt + elapsed;
      monitoring.tick(roots);
      for (const id of ['steady', 'plateau']) {
        const leak = monitoring.monitor.subject(id)?.leak;
        if (leak) verdicts[id]!.push(leak);
      }
    }
    const judged = (id: string) => verdicts[id]!.filter((v) => v.spanMs >= 3600);
    expect(judged('steady').length).toBeGreaterThan(3);
    expect(judged('plateau').length).toBeGreaterThan(3);

    const last = verdicts.steady!.at(-1)!;
    expect(last.leaking).toBe(true);
    // 2 MiB per 100 ms is 1200 MiB/min; what else the process allocates is noise around it.
    expect(last.growthMiBPerMinute).toBeGreaterThan(1100);
    expect(last.growthMiBPerMinute).toBeLessThan(1300);
    expect(judged('steady').every((v) => v.leaking)).toBe(true);

    expect(judged('plateau').some((v) => v.leaking)).toBe(false);
    // It did grow (20 MiB within the first second): the detector saw growth and judged it over.
    expect(Math.max(...verdicts.plateau!.map((v) => v.slopeBytesPerMinute))).toBeGreaterThan(10 * MiB);
    monitoring.dispose();
  });
});
