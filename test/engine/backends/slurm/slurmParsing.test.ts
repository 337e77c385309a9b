// Slurm's text and JSON, read defensively. The sample lines are what Slurm 22.05.8 printed on
// this machine (trimmed to the fields that matter).
import { describe, expect, it } from 'vitest';
import { parseSacct } from '../../../../electron/engine/backends/slurm/sacctRecords';
import { AmbiguousRecordError, parseExitCode, parseIdList, parseScontrolJob } from '../../../../electron/engine/backends/slurm/scontrolJob';
import { classifySlurmFailure } from '../../../../electron/engine/backends/slurm/slurmError';
import { decodeWaitStatus, viewOfSlurmState } from '../../../../electron/engine/backends/slurm/slurmState';
import { parseSlurmDuration, parseSlurmSize } from '../../../../electron/engine/backends/slurm/slurmUnits';
import { expandArrayTasks, squeueJobSchema, toStatuses } from '../../../../electron/engine/backends/slurm/squeueJson';
import { CpuRate, parseSstat, usageByJob } from '../../../../electron/engine/backends/slurm/sstatUsage';

describe('Slurm units', () => {
  it('reads durations as sstat/sacct print them', () => {
    expect(parseSlurmDuration('00:00:03')).toBe(3);
    expect(parseSlurmDuration('01:23.456')).toBeCloseTo(83.456);
    expect(parseSlurmDuration('1-02:03:04')).toBe(93_784);
    expect(parseSlurmDuration('')).toBeUndefined();
    expect(parseSlurmDuration('UNLIMITED')).toBeUndefined();
  });

  it('reads sizes in powers of 1024', () => {
    expect(parseSlurmSize('1428K')).toBe(1428 * 1024);
    expect(parseSlurmSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSlurmSize('0')).toBe(0);
    expect(parseSlurmSize('n/a')).toBeUndefined();
  });
});

describe('wait status and states', () => {
  it('decodes raw wait statuses', () => {
    expect(decodeWaitStatus(768)).toEqual({ kind: 'exit', code: 3 });
    expect(decodeWaitStatus(15)).toMatchObject({ kind: 'signal', signal: 'SIGTERM', coreDumped: false });
    expect(decodeWaitStatus(0x86)).toMatchObject({ kind: 'signal', signal: 'SIGABRT', coreDumped: true });
  });

  const view = (slurmState: string, extra: Partial<Parameters<typeof viewOfSlurmState>[0]> = {}) => viewOfSlurmState({ slurmState, slurmReason: '', ...extra });

  it('maps every Slurm state onto a Procdeck state, keeping Slurm\'s own', () => {
    expect(view('PENDING', { slurmReason: 'Dependency' })).toEqual({ state: 'queued', reason: 'Slurm: pending, waiting for Dependency', slurmState: 'PENDING', slurmReason: 'Dependency' });
    expect(view('RUNNING').state).toBe('running');
    expect(view('SUSPENDED').state).toBe('paused');
    expect(view('COMPLETING').state).toBe('stopping');
    expect(view('COMPLETED', { waitStatus: 0 })).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(view('FAILED', { slurmReason: 'NonZeroExitCode', waitStatus: 768 })).toMatchObject({ state: 'exited', exitCode: 3 });
    // Slurm says JobLaunchFailure for a batch script killed by a real signal too.
    expect(view('FAILED', { slurmReason: 'JobLaunchFailure', waitStatus: 15 })).toMatchObject({ state: 'killed', signal: 'SIGTERM' });
    expect(view('FAILED', { slurmReason: 'JobLaunchFailure', waitStatus: 4021 })).toMatchObject({ state: 'failed-to-start' });
    expect(view('CANCELLED', { waitStatus: 15 })).toMatchObject({ state: 'killed', signal: 'SIGTERM', reason: 'cancelled through Slurm (scancel)' });
    expect(view('TIMEOUT', { timeLimitMinutes: 5 })).toMatchObject({ state: 'timed-out', reason: 'Slurm time limit 5 min reached (TIMEOUT)' });
    expect(view('OUT_OF_MEMORY', { memoryLimitBytes: 64 << 20 })).toMatchObject({ state: 'killed', reason: 'memory limit 64 MiB exceeded (Slurm killed the job: OUT_OF_MEMORY)' });
    expect(view('NODE_FAIL')).toMatchObject({ state: 'killed', reason: 'the node failed (NODE_FAIL)' });
    expect(view('PREEMPTED')).toMatchObject({ state: 'killed', reason: 'preempted by a higher-priority job (PREEMPTED)' });
    expect(view('BOOT_FAIL').state).toBe('failed-to-start');
    expect(view('SOMETHING_NEW')).toMatchObject({ state: 'queued', reason: 'unknown Slurm state SOMETHING_NEW' });
  });
});

describe('squeue --json records', () => {
  const base = { job_id: 12, name: 'x', job_state: 'PENDING', state_reason: 'Resources', nodes: '', exit_code: 0, end_time: 0 };

  it('reads 22.05 numbers and later versions\' {set, number} objects and state lists alike', () => {
    const old = toStatuses(squeueJobSchema.parse({ ...base, time_limit: 5, start_time: 100 }))[0]!;
    const later = toStatuses(squeueJobSchema.parse({ ...base, job_state: ['PENDING'], time_limit: { set: true, infinite: false, number: 5 }, start_time: { set: true, number: 100 } }))[0]!;
    expect(later).toEqual(old);
    expect(old).toMatchObject({ id: '12', timeLimitMinutes: 5, startedAt: 100_000 });
    expect(toStatuses(squeueJobSchema.parse({ ...base, time_limit: null }))[0]!.timeLimitMinutes).toBeUndefined();
  });

  it('gives no end time to a running job (its end_time is a forecast)', () => {
    expect(toStatuses(squeueJobSchema.parse({ ...base, job_state: 'RUNNING', end_time: 1827692556 }))[0]!.endedAt).toBeUndefined();
    expect(toStatuses(squeueJobSchema.parse({ ...base, job_state: 'COMPLETED', end_time: 1796156576 }))[0]!.endedAt).toBe(1796156576_000);
  });

  it('expands a pending array record into its tasks, and names a started task by its array id', () => {
    const pending = toStatuses(squeueJobSchema.parse({ ...base, array_job_id: 12, array_task_id: null, array_task_string: '1-3,7' }));
    expect(pending.map((s) => s.id)).toEqual(['12_1', '12_2', '12_3', '12_7']);
    const started = toStatuses(squeueJobSchema.parse({ ...base, job_id: 13, array_job_id: 12, array_task_id: 0 }));
    expect(started).toMatchObject([{ id: '12_0', jobId: 13, arrayTaskId: 0 }]);
    expect(expandArrayTasks('0-9:3%2')).toEqual([0, 3, 6, 9]);
    expect(expandArrayTasks('garbage')).toEqual([]);
  });

  it('refuses a record without a job id or state', () => {
    expect(squeueJobSchema.safeParse({ name: 'x' }).success).toBe(false);
  });
});

describe('scontrol -d show job -o', () => {
  const line =
    'JobId=1 JobName=my job UserId=root(0) JobState=RUNNING Reason=None ExitCode=3:0 NodeList=localhost BatchHost=localhost NumCPUs=2 JOB_GRES=(null)   Nodes=localhost CPU_IDs=0-1 Mem=512 GRES= MinCPUsNode=1 WorkDir=/tmp/a b StdErr=/tmp/a b/1.out StdIn=/dev/null StdOut=/tmp/a b/1.out Power= ';

  it('reads fields whose values hold spaces, and the per-node CPU ids', () => {
    const job = parseScontrolJob(line);
    expect(job.fields.get('JobName')).toBe('my job');
    expect(job.fields.get('StdOut')).toBe('/tmp/a b/1.out');
    expect(job.fields.get('Power')).toBe('');
    expect(job.allocation).toEqual([{ node: 'localhost', cpuIds: [0, 1] }]);
    expect(parseExitCode(job.fields.get('ExitCode'))).toEqual({ code: 3, signal: 0 });
  });

  it('refuses a record in which a value forged a field it reads', () => {
    expect(() => parseScontrolJob(line.replace('JobName=my job', 'JobName=x JobState=COMPLETED'))).toThrow(AmbiguousRecordError);
  });

  it('reads CPU id lists', () => {
    expect(parseIdList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(parseIdList('x')).toEqual([]);
  });
});

describe('sstat and sacct', () => {
  it('sums a job\'s steps and turns successive AveCPU samples into a rate', () => {
    const steps = parseSstat('9.batch|1|00:00:02|3480K|cpu=00:00:02,energy=0,mem=3332K,vmem=5512K\n9.0|2|00:00:03|10M|cpu=00:00:06,mem=9M\n');
    const usage = usageByJob(steps).get('9')!;
    expect(usage).toMatchObject({ cpuSeconds: 2 + 6, rssBytes: 3332 * 1024 + 9 * 1024 ** 2, maxRssBytes: 10 * 1024 ** 2 });
    const rate = new CpuRate();
    expect(rate.update(usage, 0)).toBeUndefined();
    // 10 s later: the batch step gained 1 s, step 0 ended (its time is not subtracted), step 1 is new with 4 s.
    const next = usageByJob(parseSstat('9.batch|1|00:00:03|3480K|mem=1K\n9.1|1|00:00:04|1M|mem=1M\n')).get('9')!;
    expect(rate.update(next, 10_000)).toBeCloseTo(50);
  });

  it('counts a step sstat prints twice (an array id expands to every task) once', () => {
    const steps = parseSstat('4.batch|1|00:00:02|1K|mem=1K\n3.batch|1|00:00:01|1K|mem=1K\n4.batch|1|00:00:02|1K|mem=1K\n');
    expect(steps.map((s) => s.stepId)).toEqual(['4.batch', '3.batch']);
  });

  it('skips sstat lines that are not steps', () => {
    expect(parseSstat('sstat: error: No steps running for job 2\n|||\n')).toEqual([]);
  });

  it('reads sacct -P records, a job name holding "|" included', () => {
    const [record] = parseSacct('5|CANCELLED by 0|0:15|2026-12-01T20:22:36|2026-12-01T20:23:03|00:00:27|00:01.500|1428K|localhost|2|a|b\n');
    expect(record).toMatchObject({ id: '5', slurmState: 'CANCELLED', exitCode: 0, signal: 15, elapsedSeconds: 27, cpuSeconds: 1.5, maxRssBytes: 1428 * 1024, cpus: 2, name: 'a|b' });
    expect(record!.endedAt! - record!.startedAt!).toBe(27_000);
  });
});

describe('Slurm errors', () => {
  it('names what was wrong, keeping Slurm\'s words', () => {
    const e = classifySlurmFailure('sbatch', 'sbatch: error: invalid partition specified: nope\nsbatch: error: Batch job submission failed: Invalid partition name specified\n', 1);
    expect(e).toMatchObject({ kind: 'bad-partition', field: 'partition', code: 'INVALID_SPEC' });
    expect(e.message).toBe('the partition does not exist on this cluster (sbatch: invalid partition specified: nope)');
    const down = classifySlurmFailure('squeue', 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n', 1);
    expect(down).toMatchObject({ kind: 'controller-down', code: 'SYSTEM_REFUSED' });
    expect(classifySlurmFailure('scontrol', 'something odd\n', 2).message).toBe('scontrol failed with exit status 2: something odd');
  });
});
