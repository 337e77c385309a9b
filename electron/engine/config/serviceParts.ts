import type { FileProbe, FileSchedule, FileWatch } from '../../../shared/config/fileParts';
import type { JobCommand } from '../../../shared/jobSpec';
import { probeSchema, regexError, type Probe, type ProbeCheck } from '../../../shared/probes';
import { cronError, scheduleSchema, type Schedule } from '../../../shared/schedule';
import { watchSchema, type Watch } from '../../../shared/watch';
import type { FieldReader } from './fieldReader';

/** The file's probes, schedule and watch as the typed objects of shared/probes.ts, schedule.ts, watch.ts. */

const DAY = 86_400_000;

/** A string runs through the shell, a list is argv: the same rule for `command` and `exec`. */
export function readCommand(command: string | (string | number)[]): JobCommand {
  if (typeof command === 'string') return { kind: 'shell', script: command };
  const [program, ...args] = command.map(String);
  return { kind: 'argv', program: program!, args };
}

export function readProbe(reader: FieldReader, key: 'readiness' | 'liveness', probe: FileProbe): Probe | undefined {
  const check = readCheck(reader, key, probe);
  const timing = {
    initialDelayMs: probe.initialDelay === undefined ? undefined : reader.duration([key, 'initialDelay'], probe.initialDelay, { max: DAY }),
    intervalMs: probe.interval === undefined ? undefined : reader.duration([key, 'interval'], probe.interval, { min: 100, max: DAY }),
    timeoutMs: probe.timeout === undefined ? undefined : reader.duration([key, 'timeout'], probe.timeout, { min: 1, max: 3_600_000 }),
  };
  const refused = Object.entries(timing).some(([name, value]) => value === undefined && probe[FILE_TIMING[name as keyof typeof timing]] !== undefined);
  if (!check || refused) return undefined;
  return reader.typed(probeSchema, { check, ...timing, successThreshold: probe.successThreshold, failureThreshold: probe.failureThreshold }, [key], (path) => (path[0] === undefined ? [] : [FILE_TIMING[path[0] as keyof typeof FILE_TIMING] ?? String(path[0])]));
}

const FILE_TIMING = { initialDelayMs: 'initialDelay', intervalMs: 'interval', timeoutMs: 'timeout' } as const;

function readCheck(reader: FieldReader, key: string, probe: FileProbe): ProbeCheck | undefined {
  if (probe.http !== undefined) {
    let url: URL;
    try {
      url = new URL(probe.http);
    } catch {
      return void reader.problem([key, 'http'], `not a URL: ${JSON.stringify(probe.http)}`);
    }
    const status = readStatus(reader, key, probe.status);
    const bodyProblem = probe.body === undefined ? undefined : regexError(probe.body);
    if (bodyProblem) reader.problem([key, 'body'], `body is not a valid regular expression: ${bodyProblem}`);
    if (!status || bodyProblem) return undefined;
    return { kind: 'http', url: url.href, status, ...(probe.body === undefined ? {} : { bodyMatch: probe.body }) };
  }
  if (probe.tcp !== undefined) {
    const split = probe.tcp.lastIndexOf(':');
    const host = probe.tcp.slice(0, split).replace(/^\[(.*)\]$/, '$1');
    const port = Number(probe.tcp.slice(split + 1));
    if (port < 1 || port > 65_535) return void reader.problem([key, 'tcp'], `a port is 1 to 65535 (got ${probe.tcp})`);
    return { kind: 'tcp', host, port };
  }
  if (probe.exec !== undefined) return { kind: 'exec', command: readCommand(probe.exec) };
  const problem = regexError(probe.log!);
  if (problem) return void reader.problem([key, 'log'], `log is not a valid regular expression: ${problem}`);
  return { kind: 'log', pattern: probe.log! };
}

function readStatus(reader: FieldReader, key: string, status: FileProbe['status']): { min: number; max: number } | undefined {
  if (status === undefined) return { min: 200, max: 399 };
  if (typeof status === 'number') return { min: status, max: status };
  const [min, max = min] = status.split('-').map(Number) as [number, number?];
  if (min >= 100 && max <= 599 && min <= max) return { min, max };
  return void reader.problem([key, 'status'], `a status range runs upwards between 100 and 599 (got ${status})`);
}

export function readSchedule(reader: FieldReader, schedule: FileSchedule): Schedule | undefined {
  const form = typeof schedule === 'string' ? { cron: schedule } : schedule;
  const problem = cronError(form.cron, form.timezone);
  if (problem) {
    const onTimezone = form.timezone !== undefined && cronError(form.cron) === undefined;
    const path = typeof schedule === 'string' ? ['schedule'] : ['schedule', onTimezone ? 'timezone' : 'cron'];
    return void reader.problem(path, onTimezone ? problem : `bad cron expression "${form.cron}": ${problem}`, 'bad-cron');
  }
  return reader.typed(scheduleSchema, form, ['schedule']);
}

export function readWatch(reader: FieldReader, watch: FileWatch): Watch | undefined {
  const form = typeof watch === 'string' || Array.isArray(watch) ? { paths: watch } : watch;
  const paths = (Array.isArray(form.paths) ? form.paths : [form.paths]).map((path) => reader.path(path));
  const debounceMs = form.debounce === undefined ? undefined : reader.duration(['watch', 'debounce'], form.debounce, { max: 3_600_000 });
  if (form.debounce !== undefined && debounceMs === undefined) return undefined;
  return reader.typed(watchSchema, { paths: [...new Set(paths)], debounceMs, ignore: form.ignore }, ['watch']);
}
