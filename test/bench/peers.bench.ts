// Procdeck against PM2 and supervisord in one run (issue 15): `npm run bench -- peers`.
// Every tool is measured the same way (peers/figures.ts, from /proc), rounds alternate tools
// and the table shows medians of BENCH_ROUNDS (3). Each tool runs with its documented defaults,
// plus the settings that make a figure comparable, both printed. Not in CI: it takes ~25 min.
//
// BENCH_PEERS_PARTS=main,chain,logs,spawn,crash,tree picks parts, BENCH_PEERS_TOOLS the tools; BENCH_PEERS_WINDOW_S (30) is
// the CPU window, BENCH_PEERS_SETTLE_S (5) the quiet time before a figure; PROCDECK_SERVER_CMD
// (default: what package.json's serve script runs, without npm) and PROCDECK_LAUNCH_CMD
// (`npm run serve --`) choose what runs as Procdeck; PROCDECK_BASELINE_CMD adds another build
// (an older checkout's) to the main, logs and spawn parts, for before/after rows in one run.
import { cpus } from 'node:os';
import { apiSpawnRound, type ApiSpawnRound } from './peers/apiSpawn';
import { crashTest, launchChain, logFlood, mainSequence, rawRedirect, treeStop, LOG_BYTES, SLEEPERS, WINDOW_MS, type CrashFigures, type LogFigures, type MainFigures, type TreeStopFigures } from './peers/figures';
import type { Peer } from './peers/peer';
import { Pm2Peer, pm2Version } from './peers/pm2Peer';
import { baselineCommand, launchCommand, ProcdeckPeer, serverCommand } from './peers/procdeckPeer';
import { loadAverage } from './peers/procfs';
import { median, mib, ms, pct, printTable, printTarget, times, type Row } from './peers/report';
import { SupervisordPeer, supervisordVersion } from './peers/supervisordPeer';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SPAWN_JOBS = Number(process.env.BENCH_JOBS ?? 500);
const SPAWN_CONCURRENCY = 8;
const PARTS = new Set((process.env.BENCH_PEERS_PARTS ?? 'main,chain,logs,spawn,crash,tree').split(','));
// BENCH_PEERS_TOOLS=procdeck,supervisord leaves PM2 out (its log flood sometimes never gets its last
// bytes to disk, and the round then waits out the flood's time limit).
const TOOLS = new Set((process.env.BENCH_PEERS_TOOLS ?? 'procdeck,pm2,supervisord').split(','));
// Procdeck's pool runs as many jobs at once as there are cores by default (it is also a batch
// runner); PM2 and supervisord have no pool, so every Procdeck run here raises it.
const POOL = { maxConcurrent: 128 };

type Tool = 'procdeck' | 'pm2' | 'supervisord';

interface Config<F> {
  key: string;
  tool: Tool;
  make: () => Peer;
  results: F[];
}

const config = <F>(key: string, tool: Tool, make: () => Peer): Config<F> => ({ key, tool, make, results: [] });

/** ROUNDS rounds; each runs every config once, starting one further along each round. */
async function alternate<F>(all: Config<F>[], run: (peer: Peer, config: Config<F>) => Promise<F>, describe: (f: F) => string): Promise<void> {
  const configs = all.filter((c) => TOOLS.has(c.tool));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < configs.length; i++) {
      const c = configs[(i + round) % configs.length]!;
      const peer = c.make();
      const result = await run(peer, c);
      c.results.push(result);
      console.log(`  round ${round + 1}, ${peer.label}: ${describe(result)} (load ${loadAverage()})`);
    }
  }
}

const pick = <F>(configs: Config<F>[], key: string, value: (f: F) => number): number | undefined => {
  const c = configs.find((x) => x.key === key);
  return c && c.results.length > 0 ? median(c.results.map(value)) : undefined;
};

export async function runPeersBench(): Promise<void> {
  const supervisord = supervisordVersion();
  const pm2 = pm2Version();
  const columns = { pm2: `PM2 ${pm2}`, supervisord: supervisord ? `supervisord ${supervisord}` : 'supervisord (NOT INSTALLED)' };
  console.log(`peers: Procdeck vs ${columns.pm2} vs ${columns.supervisord}; ${cpus().length} cores, load average ${loadAverage()}; medians of ${ROUNDS} alternating rounds`);
  console.log(`  Procdeck server: \`${serverCommand().join(' ')}\` (PROCDECK_SERVER_CMD); launch chain: \`${launchCommand().join(' ')}\` (PROCDECK_LAUNCH_CMD)`);
  if (!supervisord) console.log('  supervisord is NOT INSTALLED (apt-get install -y supervisor): its column stays empty, the others are measured.');
  const withSupervisord = <T>(list: T[]) => (supervisord ? list : []);

  const procdeck = (label: string, settings: ConstructorParameters<typeof ProcdeckPeer>[0]['settings'] = {}) => () => new ProcdeckPeer({ label: `Procdeck, ${label}`, settings: { ...POOL, ...settings } });
  const baseline = baselineCommand();
  if (baseline) console.log(`  Procdeck baseline build: \`${baseline.join(' ')}\` (PROCDECK_BASELINE_CMD)`);
  const baselineConfigs = <F>(key: string, label: string, settings: ConstructorParameters<typeof ProcdeckPeer>[0]['settings'] = {}): Config<F>[] =>
    baseline ? [config<F>(key, 'procdeck', () => new ProcdeckPeer({ label: `Procdeck baseline build, ${label}`, settings: { ...POOL, ...settings }, command: baseline }))] : [];
  const rows: Row[] = [];
  // What PM2 and supervisord leave running idle is their daemon's tree (main part), the chain's other end.
  let idleTrees: Partial<Record<'pm2' | 'supervisord', { rss?: number; pss?: number }>> = {};

  if (PARTS.has('main')) {
    console.log(`\n${SLEEPERS} sleep jobs: idle, start, supervise, stop; CPU over ${WINDOW_MS / 1000} s windows`);
    const main: Config<MainFigures>[] = [
      config('procdeck', 'procdeck', procdeck('sampling every 1 s (default), pool limit 128')),
      config('procdeck-slow', 'procdeck', procdeck('sampling every 60 s (the slowest setting: there is no off), pool limit 128', { sampleIntervalMs: 60_000 })),
      ...baselineConfigs<MainFigures>('procdeck-baseline', 'sampling every 1 s (default), pool limit 128'),
      config('pm2', 'pm2', () => new Pm2Peer({ label: `PM2 ${pm2}, defaults` })),
      ...withSupervisord([config<MainFigures>('supervisord', 'supervisord', () => new SupervisordPeer({ label: `supervisord ${supervisord}, defaults (autostart=false, to time the start)` }))]),
    ];
    await alternate(
      main,
      (peer, c) => mainSequence(peer, c.tool === 'procdeck' ? { detachUi: () => (peer as ProcdeckPeer).detachUi() } : {}),
      (f) =>
        `start ${ms(f.startMs)} (answered ${ms(f.startAnsweredMs)}), stop ${ms(f.stopMs)} (answered ${ms(f.stopAnsweredMs)}); ` +
        `CPU first minute ${pct(f.idleCpuFirstMinute.sched)} (stat ${pct(f.idleCpuFirstMinute.stat)}), ${SLEEPERS} jobs ${pct(f.jobsCpu.sched)} (stat ${pct(f.jobsCpu.stat)}), ` +
        `idle after ${pct(f.idleCpu.sched)} (stat ${pct(f.idleCpu.stat)})${f.idleCpuNoUi ? `, no UI ${pct(f.idleCpuNoUi.sched)}` : ''}; ` +
        `RSS idle ${mib(f.idleMemory.rss)} (anon ${mib(f.idleMemory.anon)}, file ${mib(f.idleMemory.file)}), ${SLEEPERS} jobs ${mib(f.jobsMemory.rss)} (anon ${mib(f.jobsMemory.anon)}); tree ${f.idleTree.names.join('+')}`,
    );
    const row = (figure: string, value: (f: MainFigures) => number, format: (v: number) => string, procdeckKey = 'procdeck'): Row => ({
      figure,
      procdeck: pick(main, procdeckKey, value),
      pm2: pick(main, 'pm2', value),
      supervisord: pick(main, 'supervisord', value),
      format,
    });
    rows.push(
      row(`start ${SLEEPERS} \`sleep\` jobs → all running in /proc`, (f) => f.startMs, ms),
      row('  … until the API answered', (f) => f.startAnsweredMs, ms),
      row(`stop all ${SLEEPERS} → gone from /proc`, (f) => f.stopMs, ms),
      row(`manager CPU supervising ${SLEEPERS} running jobs (% of a core)`, (f) => f.jobsCpu.sched, pct),
      row('  … Procdeck sampling every 60 s', (f) => f.jobsCpu.sched, pct, 'procdeck-slow'),
      row('manager CPU idle (jobs ended, still listed), UI attached', (f) => f.idleCpu.sched, pct),
      row('  … Procdeck with no UI attached', (f) => f.idleCpuNoUi?.sched ?? NaN, pct),
      row('  … Procdeck sampling every 60 s', (f) => f.idleCpu.sched, pct, 'procdeck-slow'),
      row('  … Procdeck sampling every 60 s, no UI attached', (f) => f.idleCpuNoUi?.sched ?? NaN, pct, 'procdeck-slow'),
      row('manager CPU idle in its first minute (5–35 s after launch)', (f) => f.idleCpuFirstMinute.sched, pct),
      row('manager RSS idle', (f) => f.idleMemory.rss, mib),
      row('  … of which RssAnon (heap, stacks; the rest is mapped files)', (f) => f.idleMemory.anon, mib),
      row(`manager RSS with ${SLEEPERS} jobs, UI attached`, (f) => f.jobsMemory.rss, mib),
      row('  … Procdeck sampling every 60 s', (f) => f.jobsMemory.rss, mib, 'procdeck-slow'),
      row('manager process tree RSS idle (Procdeck: the server alone)', (f) => f.idleTree.rss, mib),
      row('  … PSS (shared pages counted once)', (f) => f.idleTree.pss, mib),
    );
    if (baseline) {
      const before = (figure: string, value: (f: MainFigures) => number, format: (v: number) => string): Row => ({ ...row(`baseline build: ${figure}`, value, format, 'procdeck-baseline'), pm2: undefined, supervisord: undefined, note: `this build ${times(pick(main, 'procdeck', value) ?? NaN, pick(main, 'procdeck-baseline', value) ?? NaN)} the baseline` });
      rows.push(
        before(`start ${SLEEPERS} jobs`, (f) => f.startMs, ms),
        before(`stop ${SLEEPERS} jobs`, (f) => f.stopMs, ms),
        before(`CPU supervising ${SLEEPERS} jobs`, (f) => f.jobsCpu.sched, pct),
        before('CPU idle, UI attached', (f) => f.idleCpu.sched, pct),
        before('CPU idle, no UI', (f) => f.idleCpuNoUi?.sched ?? NaN, pct),
        before('RSS idle', (f) => f.idleMemory.rss, mib),
        before(`RSS with ${SLEEPERS} jobs, UI attached`, (f) => f.jobsMemory.rss, mib),
      );
    }
    const tree = (key: string) => ({ rss: pick(main, key, (f) => f.idleTree.rss), pss: pick(main, key, (f) => f.idleTree.pss) });
    idleTrees = { pm2: tree('pm2'), supervisord: tree('supervisord') };
  }

  if (PARTS.has('chain')) {
    console.log(`\nlaunch chain: \`${launchCommand().join(' ')}\`, idle`);
    const chain = [config<{ rss: number; pss: number; names: string[] }>('procdeck', 'procdeck', () => new ProcdeckPeer({ label: 'Procdeck launch chain', command: launchCommand() }))];
    await alternate(chain, (peer) => launchChain(peer), (f) => `${mib(f.rss)} RSS, ${mib(f.pss)} PSS: ${f.names.join(' + ')}`);
    rows.push(
      {
        figure: `whole launch chain RSS, idle (Procdeck: \`${launchCommand().join(' ')}\`; PM2, supervisord: the daemon tree they leave)`,
        procdeck: pick(chain, 'procdeck', (f) => f.rss),
        pm2: idleTrees.pm2?.rss,
        supervisord: idleTrees.supervisord?.rss,
        format: mib,
      },
      { figure: '  … PSS', procdeck: pick(chain, 'procdeck', (f) => f.pss), pm2: idleTrees.pm2?.pss, supervisord: idleTrees.supervisord?.pss, format: mib },
    );
  }

  if (PARTS.has('logs')) {
    console.log(`\n${(LOG_BYTES / 1024 ** 3).toFixed(2)} GiB of log lines to disk`);
    const logs: Config<LogFigures & { rotationOff: boolean }>[] = [
      config('procdeck-off', 'procdeck', procdeck('log rotation off (logMaxBytes 10 GiB)', { logMaxBytes: 10 * 1024 ** 3 })),
      config('procdeck-default', 'procdeck', procdeck('default rotation (8 MiB × 2 files)')),
      ...baselineConfigs<LogFigures & { rotationOff: boolean }>('procdeck-baseline-off', 'log rotation off', { logMaxBytes: 10 * 1024 ** 3 }),
      config('pm2', 'pm2', () => new Pm2Peer({ label: `PM2 ${pm2}, no rotation (PM2 has none built in; pm2-logrotate is a separate module)` })),
      ...withSupervisord([
        config<LogFigures & { rotationOff: boolean }>('supervisord-off', 'supervisord', () => new SupervisordPeer({ label: 'supervisord, rotation off (stdout_logfile_maxbytes=0)', rotationOff: true })),
        config<LogFigures & { rotationOff: boolean }>('supervisord-default', 'supervisord', () => new SupervisordPeer({ label: 'supervisord, default rotation (50 MB × 10 backups)' })),
      ]),
    ];
    const raw: number[] = [];
    await alternate(
      logs,
      async (peer, c) => {
        if (c === logs[0]) raw.push(await rawRedirect());
        const rotationOff = !c.key.endsWith('-default');
        return { ...(await logFlood(peer, rotationOff)), rotationOff };
      },
      (f) => `${ms(f.ms)}, manager CPU ${ms(f.managerCpuMs)}, peak RSS ${mib(f.peakRss)} (before ${mib(f.rssBefore)}), ${mib(f.bytesOnDisk)} on disk`,
    );
    const rawMs = median(raw);
    const log = (figure: string, suffix: string, value: (f: LogFigures) => number, format: (v: number) => string): Row => ({
      figure,
      procdeck: pick(logs, `procdeck-${suffix}`, value),
      pm2: pick(logs, 'pm2', value),
      supervisord: pick(logs, `supervisord-${suffix}`, value),
      format,
    });
    rows.push(
      log('1 GiB of log lines to disk, rotation off: time', 'off', (f) => f.ms, ms),
      log('  … peak RSS of the manager', 'off', (f) => f.peakRss, mib),
      log('  … CPU time of the manager (its processes, the job excluded)', 'off', (f) => f.managerCpuMs, ms),
      log('  … throughput as a multiple of a raw shell redirect', 'off', (f) => rawMs / f.ms, (v) => `${v.toFixed(2)}× raw`),
      log('1 GiB, each tool’s default rotation (PM2: none): time', 'default', (f) => f.ms, ms),
      log('  … peak RSS of the manager', 'default', (f) => f.peakRss, mib),
      { figure: '  raw shell redirect (`… > file`), the baseline', procdeck: rawMs, format: ms, note: `${((LOG_BYTES / 1024 ** 2) / (rawMs / 1000)).toFixed(0)} MiB/s` },
    );
    if (baseline) {
      for (const [figure, value, format] of [['time', (f: LogFigures) => f.ms, ms], ['manager CPU', (f: LogFigures) => f.managerCpuMs, ms], ['peak RSS', (f: LogFigures) => f.peakRss, mib]] as const) {
        const now = pick(logs, 'procdeck-off', value);
        const before = pick(logs, 'procdeck-baseline-off', value);
        rows.push({ figure: `baseline build: 1 GiB flood, rotation off, ${figure}`, procdeck: before, format, note: `this build ${times(now ?? NaN, before ?? NaN)} the baseline` });
      }
    }
  }

  if (PARTS.has('spawn')) {
    console.log(`\n${SPAWN_JOBS} × /bin/true at concurrency ${SPAWN_CONCURRENCY} through Procdeck's WebSocket vs a raw child_process.spawn loop, alternating`);
    // Both servers stay up and take turns, one round each, starting one further along each round.
    const builds = [['Procdeck', undefined], ...(baseline ? [['baseline build', baseline] as const] : [])] as const;
    const peers = builds.map(([label, command]) => new ProcdeckPeer({ label, settings: { maxConcurrent: SPAWN_CONCURRENCY }, command }));
    const results: ApiSpawnRound[][] = peers.map(() => []);
    try {
      for (const peer of peers) await peer.launch({});
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < peers.length; k++) {
          const i = (round + k) % peers.length;
          const r = await apiSpawnRound(peers[i]!, SPAWN_JOBS, SPAWN_CONCURRENCY);
          results[i]!.push(r);
          console.log(
            `  ${builds[i]![0]}, round ${round + 1}: raw ${(SPAWN_JOBS / (r.rawMs / 1000)).toFixed(0)} jobs/s (a fresh node, RSS ${r.rawRssMiB.toFixed(0)} MiB; this bench process ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB), API ${(SPAWN_JOBS / (r.apiMs / 1000)).toFixed(0)} jobs/s → ${(r.rawMs / r.apiMs).toFixed(2)}× raw; server CPU ${r.serverCpuMsPerJob.toFixed(2)} ms and ${r.serverFaultsPerJob.toFixed(0)} minor faults a job, the job's own process ${r.childCpuMsPerJob.toFixed(2)} ms (load ${loadAverage()})`,
          );
        }
      }
    } finally {
      for (const peer of peers) await peer.close();
    }
    for (const [i, [, command]] of builds.entries()) {
      const rounds = results[i]!;
      const figure = `${SPAWN_JOBS} × \`/bin/true\` at concurrency ${SPAWN_CONCURRENCY} over the API, vs a raw spawn loop`;
      const note = `raw loop (a fresh node) ${median(rounds.map((r) => SPAWN_JOBS / (r.rawMs / 1000))).toFixed(0)} jobs/s; server CPU ${median(rounds.map((r) => r.serverCpuMsPerJob)).toFixed(2)} ms, ${median(rounds.map((r) => r.serverFaultsPerJob)).toFixed(0)} minor faults a job; the job's own process ${median(rounds.map((r) => r.childCpuMsPerJob)).toFixed(2)} ms`;
      rows.push({ figure: command ? `baseline build: ${figure}` : figure, procdeck: median(rounds.map((r) => r.rawMs / r.apiMs)), format: (v) => `${v.toFixed(2)}× raw`, note });
    }
  }

  if (PARTS.has('crash')) {
    console.log('\ncrash: SIGKILL to the manager with 30 running jobs, then the operator starts it again (PM2: `pm2 save` before, `pm2 resurrect` after)');
    const crash: Config<CrashFigures>[] = [
      config('procdeck', 'procdeck', procdeck('defaults')),
      config('pm2', 'pm2', () => new Pm2Peer({ label: `PM2 ${pm2}, defaults (autorestart: true)` })),
      config('pm2-norestart', 'pm2', () => new Pm2Peer({ label: `PM2 ${pm2}, autorestart: false`, autorestart: false })),
      ...withSupervisord([config<CrashFigures>('supervisord', 'supervisord', () => new SupervisordPeer({ label: 'supervisord, defaults (autostart=true)' }))]),
    ];
    for (const c of crash) {
      const peer = c.make();
      const f = await crashTest(peer);
      c.results.push(f);
      console.log(`  ${peer.label}: ${f.orphansAfterCrash}/${f.jobs} jobs alive after the crash, ${f.orphansAfterRestart} still alive after the restart, ${f.startedByRestart} started by the restart${f.diagnostics ? `; ${f.diagnostics}` : ''}`);
    }
    const crashRow = (figure: string, value: (f: CrashFigures) => number, pm2Key = 'pm2'): Row => ({
      figure,
      procdeck: pick(crash, 'procdeck', value),
      pm2: pick(crash, pm2Key, value),
      supervisord: pick(crash, 'supervisord', value),
      format: (v) => v.toFixed(0),
      note: 'counts',
    });
    rows.push(
      crashRow('crash, 30 jobs: job processes alive once the manager is dead', (f) => f.orphansAfterCrash),
      crashRow('  … old job processes alive after the restart', (f) => f.orphansAfterRestart),
      crashRow('  … job processes the restart started', (f) => f.startedByRestart),
      crashRow('  … the same, PM2 with autorestart: false', (f) => f.startedByRestart, 'pm2-norestart'),
    );
  }

  if (PARTS.has('tree')) {
    console.log('\nstop 20 jobs that are a shell with a `sleep` child (`sh -c "sleep M; exit 0"`)');
    const tree: Config<TreeStopFigures>[] = [
      config('procdeck', 'procdeck', procdeck('defaults')),
      config('pm2', 'pm2', () => new Pm2Peer({ label: `PM2 ${pm2}, defaults` })),
      ...withSupervisord([
        config<TreeStopFigures>('supervisord', 'supervisord', () => new SupervisordPeer({ label: 'supervisord, defaults (stopasgroup=false)' })),
        config<TreeStopFigures>('supervisord-group', 'supervisord', () => new SupervisordPeer({ label: 'supervisord, stopasgroup=true, killasgroup=true', groupSignals: true })),
      ]),
    ];
    for (const c of tree) {
      const peer = c.make();
      const f = await treeStop(peer);
      c.results.push(f);
      console.log(`  ${peer.label}: ${f.ms === undefined ? `${f.leftover} processes still running 15 s after the stop` : `all gone in ${ms(f.ms)}`}`);
    }
    // Only the count is compared: a shell's child orphaned by the stop is reaped by PID 1, which
    // here (firecracker's process_api) does it about once a second, so "gone" times say little.
    const treeRow = (figure: string, supervisordKey: string): Row => ({
      figure,
      procdeck: pick(tree, 'procdeck', (f) => f.leftover),
      pm2: pick(tree, 'pm2', (f) => f.leftover),
      supervisord: pick(tree, supervisordKey, (f) => f.leftover),
      format: (v) => v.toFixed(0),
      note: 'counts',
    });
    rows.push(treeRow('stop 20 `sh -c "sleep; exit"` jobs: processes left 15 s later (supervisord defaults)', 'supervisord'), treeRow('  … supervisord with stopasgroup/killasgroup', 'supervisord-group'));
  }

  printTable(`Peers, medians of ${ROUNDS} (load average now ${loadAverage()}, ${cpus().length} cores)`, rows, columns);
  printTargets(rows);
}

/** Issue 15's targets, from the table's rows. */
function printTargets(rows: readonly Row[]): void {
  const find = (prefix: string) => rows.find((r) => r.figure.startsWith(prefix));
  const value = (prefix: string, tool: 'procdeck' | 'pm2' | 'supervisord') => find(prefix)?.[tool];
  const check = (what: string, ok: (v: (prefix: string, tool: 'procdeck' | 'pm2' | 'supervisord') => number | undefined) => boolean | undefined, detail: string) => {
    let met: boolean | undefined;
    try {
      met = ok(value);
    } catch {
      met = undefined;
    }
    printTarget(what, met, detail);
  };
  const need = (v: number | undefined) => {
    if (v === undefined || Number.isNaN(v)) throw new Error('not measured');
    return v;
  };
  console.log('\nIssue 15 targets (this run):');
  check('server RSS idle ≤ PM2 daemon', (v) => need(v('manager RSS idle', 'procdeck')) <= need(v('manager RSS idle', 'pm2')), `${mib(value('manager RSS idle', 'procdeck') ?? NaN)} vs ${mib(value('manager RSS idle', 'pm2') ?? NaN)}`);
  check('server RSS ≤ 70 MiB with 100 jobs and the UI attached', (v) => need(v('manager RSS with', 'procdeck')) <= 70 * 1024 ** 2, mib(value('manager RSS with', 'procdeck') ?? NaN));
  check('peak RSS during the 1 GiB flood ≤ 80 MiB', (v) => need(v('  … peak RSS of the manager', 'procdeck')) <= 80 * 1024 ** 2, mib(value('  … peak RSS of the manager', 'procdeck') ?? NaN));
  check('CPU with 100 jobs ≤ 2× supervisord', (v) => need(v('manager CPU supervising', 'procdeck')) <= 2 * need(v('manager CPU supervising', 'supervisord')), `${pct(value('manager CPU supervising', 'procdeck') ?? NaN)} vs ${pct(value('manager CPU supervising', 'supervisord') ?? NaN)}`);
  check('CPU idle ≤ 0.1 % of a core', (v) => need(v('manager CPU idle', 'procdeck')) <= 0.1, pct(value('manager CPU idle', 'procdeck') ?? NaN));
  check('log ingest ≥ 1.0× supervisord', (v) => need(v('1 GiB of log lines to disk, rotation off', 'supervisord')) >= need(v('1 GiB of log lines to disk, rotation off', 'procdeck')), `${ms(value('1 GiB of log lines to disk, rotation off', 'procdeck') ?? NaN)} vs ${ms(value('1 GiB of log lines to disk, rotation off', 'supervisord') ?? NaN)}`);
  check('short jobs over the API ≥ 0.6× raw', (v) => need(v(`${SPAWN_JOBS} ×`, 'procdeck')) >= 0.6, `${(value(`${SPAWN_JOBS} ×`, 'procdeck') ?? NaN).toFixed(2)}× raw`);
  for (const [what, prefix] of [['start', 'start'], ['stop', 'stop all']] as const) {
    check(`${what} of 100 jobs ≥ 1.5× faster than both peers`, (v) => 1.5 * need(v(prefix, 'procdeck')) <= Math.min(need(v(prefix, 'pm2')), need(v(prefix, 'supervisord'))), `${ms(value(prefix, 'procdeck') ?? NaN)} vs ${ms(value(prefix, 'pm2') ?? NaN)} / ${ms(value(prefix, 'supervisord') ?? NaN)}`);
  }
  check('a crash leaves 0 orphans', (v) => need(v('  … old job processes alive after the restart', 'procdeck')) === 0, `${value('  … old job processes alive after the restart', 'procdeck') ?? '—'} left`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runPeersBench();
