/// <reference lib="dom" />
// Diagnostic: the UI bench's flood scenario under the CDP CPU profiler. Writes /tmp/prof/ui.cpuprofile
// and each React commit over 15 ms with its heaviest components. Flags: --log (open the flooding
// job's log), --no-flood (sort clicks only), --trace (also a Chrome trace in /tmp/prof/trace.json).
// Build with `PROCDECK_REACT_PROFILE=1 npx vite build --minify false` first.
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { startBrowserHost } from '../e2e/browserHost';
import config from '../e2e/playwright.config';

const FLOOD = `node -e "const line='x'.repeat(99)+'\\n'; const mb=line.repeat(10486); let n=0; const t=setInterval(()=>{process.stdout.write(mb); if(++n===100){clearInterval(t)}},100)"`;
const withLog = process.argv.includes('--log');
const { host, process: server } = await startBrowserHost();
const browser = await chromium.launch({ ...config.use?.launchOptions, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // A stand-in for React DevTools' hook: with the profiling build, each commit's fibers carry
  // actualDuration; record each commit's total and its heaviest rendered components.
  // A string, not a function: tsx would wrap a function's inner functions in its __name helper,
  // which the page does not have.
  await page.addInitScript(`
    const commits = [];
    window.__commits = commits;
    const nameOf = (type) => typeof type === 'function' ? (type.displayName || type.name)
      : type && typeof type === 'object' && 'type' in type ? nameOf(type.type) : undefined;
    const renderedNow = (f) => !f.alternate || f.alternate.memoizedProps !== f.memoizedProps || f.alternate.memoizedState !== f.memoizedState;
    window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true, renderers: new Map(), inject: () => 1, checkDCE() {},
      onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
      onCommitFiberRoot(_id, root) {
        const self = new Map();
        const walk = (fiber) => {
          for (let f = fiber; f; f = f.sibling) {
            if (!renderedNow(f)) { walk(f.child); continue; }
            let childTime = 0;
            for (let c = f.child; c; c = c.sibling) if (renderedNow(c)) childTime += c.actualDuration || 0;
            const name = nameOf(f.type) || (typeof f.type === 'string' ? '<' + f.type + '>' : '?');
            self.set(name, (self.get(name) || 0) + Math.max(0, (f.actualDuration || 0) - childTime));
            walk(f.child);
          }
        };
        walk(root.current.child);
        const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, v]) => n + '=' + v.toFixed(1)).join(' ');
        commits.push({ at: performance.now(), total: root.current.actualDuration || 0, top });
      },
    };
  `);
  await page.goto(host.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  const invoke = (name: string, request: unknown) =>
    page.evaluate(
      ([n, r]) =>
        new Promise((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`);
          ws.onmessage = (m) => {
            const msg = JSON.parse(String(m.data));
            if (msg.type !== 'result') return;
            ws.close();
            resolve(msg.result);
          };
          ws.onopen = () => ws.send(JSON.stringify({ type: 'invoke', id: 1, name: n, request: r }));
        }),
      [name, request] as const,
    );
  await invoke('batches.submit', { lines: Array.from({ length: 1000 }, (_, i) => `true ${i}`).join('\n'), limit: 16 });
  await page.waitForFunction(() => document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') === '1001', undefined, { timeout: 120_000 });
  await page.waitForTimeout(2000);
  const tracing = process.argv.includes('--trace');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  if (tracing) await browser.startTracing(page, { path: '/tmp/prof/trace.json', categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'] });
  await page.evaluate(() => {
    const w = window as unknown as { __long: { start: number; duration: number }[] };
    w.__long = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask' });
  });
  await cdp.send('Profiler.start');
  const t0 = await page.evaluate(() => performance.now());
  const flood = !process.argv.includes('--no-flood');
  if (flood) await invoke('jobs.start', { spec: { name: 'flood', command: { kind: 'shell', script: FLOOD } } });
  if (flood && withLog) {
    await page.getByLabel('Filter jobs').fill('flood');
    await page.getByRole('grid', { name: 'Jobs' }).getByRole('row').filter({ hasText: 'flood' }).first().click();
    await page.getByLabel('Filter jobs').fill('');
  }
  const headers = [page.getByRole('columnheader', { name: /PID/ }), page.getByRole('columnheader', { name: /Memory/ })];
  for (let i = 0; i < 25; i++) {
    await headers[i % 2]!.click();
    await page.waitForTimeout(300);
  }
  if (tracing) await browser.stopTracing();
  const { profile } = await cdp.send('Profiler.stop');
  writeFileSync('/tmp/prof/ui.cpuprofile', JSON.stringify(profile));
  const long = await page.evaluate(() => (window as unknown as { __long: { start: number; duration: number }[] }).__long);
  console.log('long tasks (ms since flood start):', long.map((l) => `${(l.start - t0).toFixed(0)}:${l.duration.toFixed(0)}`).join(' '));
  writeFileSync('/tmp/prof/long.json', JSON.stringify({ t0, long }));
  const commits = await page.evaluate(() => (window as unknown as { __commits: { at: number; total: number; top: string }[] }).__commits);
  const heavy = commits.filter((c) => c.total > 15);
  console.log(`commits: ${commits.length}, render time total ${commits.reduce((s, c) => s + c.total, 0).toFixed(0)} ms; over 15 ms: ${heavy.length}`);
  for (const c of heavy) console.log(`  @${(c.at - t0).toFixed(0)} ${c.total.toFixed(0)} ms: ${c.top}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
