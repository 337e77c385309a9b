// The whole launch chain's memory: every process from the command the operator types down
// (npm, sh, tsx, esbuild, the server), summed RSS once browser mode is up and has idled a
// second. Baseline in the same run: the sources through tsx (`npm run serve:tsx`, what
// `npm run serve` and `npm start` ran before the build). Alternating rounds, medians of 3.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureFreshBuild } from '../../electron/bin/buildFreshness.js';
import { waitFor } from '../support/wait';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Chain {
  label: string;
  command: (dataDir: string) => string[];
}

const CHAINS: Chain[] = [
  { label: 'npm run serve:tsx (before: tsx from the sources)', command: (d) => ['npm', 'run', 'serve:tsx', '--', '--port', '0', '--data-dir', d] },
  { label: 'npm start -- --browser', command: (d) => ['npm', 'start', '--', '--browser', '--port', '0', '--data-dir', d] },
  { label: 'npm run serve', command: (d) => ['npm', 'run', 'serve', '--', '--port', '0', '--data-dir', d] },
  { label: 'npx procdeck serve', command: (d) => ['npx', '--offline', 'procdeck', 'serve', '--port', '0', '--data-dir', d] },
  { label: 'procdeck serve (the bin: electron/bin/procdeck.js)', command: (d) => [join(ROOT, 'electron/bin/procdeck.js'), 'serve', '--port', '0', '--data-dir', d] },
];

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  rssKiB: number;
}

function readProcs(): Proc[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const status = readFileSync(`/proc/${name}/status`, 'utf8');
        return [
          {
            pid: Number(name),
            ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]),
            comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
            rssKiB: Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0),
          },
        ];
      } catch {
        return [];
      }
    });
}

function tree(root: number): Proc[] {
  const all = readProcs();
  const out: Proc[] = [];
  const visit = (pid: number) => {
    const self = all.find((p) => p.pid === pid);
    if (self) out.push(self);
    for (const child of all.filter((p) => p.ppid === pid)) visit(child.pid);
  };
  visit(root);
  return out;
}

async function measure(chain: Chain): Promise<{ totalMiB: number; serverMiB: number; processes: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'procdeck-launch-'));
  const [program, ...args] = chain.command(join(dataDir, 'data'));
  const child = spawn(program!, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (out += text));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitFor(() => out.includes('reaches it through'), () => `${chain.label} to be up (${JSON.stringify(out)})`, 120_000);
    await new Promise((r) => setTimeout(r, 1000)); // idle a second: lazily started helpers (esbuild) are up by then
    const procs = tree(child.pid!);
    const total = procs.reduce((sum, p) => sum + p.rssKiB, 0);
    const largest = Math.max(...procs.map((p) => p.rssKiB));
    return { totalMiB: total / 1024, serverMiB: largest / 1024, processes: procs.map((p) => `${p.comm} ${(p.rssKiB / 1024).toFixed(0)}`).join(' + ') };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runLaunchChainBench(): Promise<void> {
  console.log(`Launch chain RSS (${ROUNDS} alternating rounds, medians), browser mode up and idle 1 s`);
  await ensureFreshBuild(ROOT, ['node', 'renderer']);
  const results = new Map<string, { total: number[]; server: number[]; processes: string }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const chain of CHAINS) {
      const { totalMiB, serverMiB, processes } = await measure(chain);
      const entry = results.get(chain.label) ?? { total: [], server: [], processes };
      entry.total.push(totalMiB);
      entry.server.push(serverMiB);
      results.set(chain.label, entry);
    }
  }
  const baseline = median(results.get(CHAINS[0]!.label)!.total);
  for (const chain of CHAINS) {
    const { total, server, processes } = results.get(chain.label)!;
    const t = median(total);
    console.log(`  ${chain.label.padEnd(50)} ${t.toFixed(0).padStart(4)} MiB = ${(t / baseline).toFixed(2)}× before; largest process ${median(server).toFixed(0)} MiB; [${processes}]`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLaunchChainBench();
