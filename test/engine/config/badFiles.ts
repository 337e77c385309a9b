import type { ConfigProblemKind } from '../../../shared/config/problems';

/**
 * Bad config files, one mistake each, with a « where the error must point: the parser's
 * tests (configErrors.test.ts) and the JSON Schema's (jsonSchema.test.ts) both go through them.
 */
export interface BadFile {
  name: string;
  /**
   * What the JSON Schema makes of it: refuses it too; cannot say (a dependency that exists, a
   * cron expression, a bound in another unit: only the parser knows); or it is no data at all
   * (YAML the reader refuses before there is anything to validate).
   */
  schema: 'refuses' | 'cannot-say' | 'not-data';
  yaml: string;
  kind: ConfigProblemKind;
  path: string;
  message: RegExp;
  files?: Record<string, string>;
}

export const BAD_FILES: BadFile[] = [
  { name: 'an unknown key, with the near miss', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    «readyness: { http: "http://127.0.0.1/" }\n', kind: 'unknown-key', path: 'jobs.web.readyness', message: /unknown key "readyness" \(did you mean "readiness"\?\)/ },
  { name: 'an unknown key nothing is near, with the keys known there', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    liveness:\n      «zzz: 1\n      tcp: "127.0.0.1:1"\n', kind: 'unknown-key', path: 'jobs.web.liveness.zzz', message: /unknown key "zzz" \(known here: http, status, body, tcp, exec, log,/ },
  { name: 'an unknown top-level key', schema: 'refuses', yaml: '«jobz:\n  web: { command: x }\njobs: {}\n', kind: 'unknown-key', path: 'jobz', message: /did you mean "jobs"/ },
  { name: 'a key spelt with underscores', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    «grace_period: 5s\n', kind: 'unknown-key', path: 'jobs.web.grace_period', message: /did you mean "gracePeriod"/ },
  { name: 'a wrong type', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    cwd: «42\n', kind: 'wrong-type', path: 'jobs.web.cwd', message: /cwd is a path \(text\), not the number 42/ },
  { name: 'a command of neither form', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: «{ run: x }\n', kind: 'wrong-type', path: 'jobs.web.command', message: /a string \(run through the shell\) or a list/ },
  { name: 'a missing command', schema: 'refuses', yaml: 'jobs:\n  «web:\n    cwd: /tmp\n', kind: 'missing-key', path: 'jobs.web.command', message: /command is required/ },
  { name: 'a duration without a unit', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    timeout: «5\n', kind: 'wrong-type', path: 'jobs.web.timeout', message: /a duration is text with a unit.*not the number 5/ },
  { name: 'a duration with an unknown unit', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    readiness:\n      tcp: "127.0.0.1:80"\n      interval: «5 seconds\n', kind: 'bad-value', path: 'jobs.web.readiness.interval', message: /a number with a unit: 500ms, 5s.*\(got "5 seconds"\)/ },
  { name: 'a duration beyond its bound', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    gracePeriod: «1h\n', kind: 'bad-value', path: 'jobs.web.gracePeriod', message: /gracePeriod must be at most 10m \(got 1h\)/ },
  { name: 'a fraction of a millisecond', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    timeout: «1.5ms\n', kind: 'bad-value', path: 'jobs.web.timeout', message: /whole number of milliseconds/ },
  { name: 'a bad size', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    isolation: { level: basic, memory: «12XB }\n', kind: 'bad-value', path: 'jobs.web.isolation.memory', message: /a size is a number with a unit: 512MiB, 2G.*\(got "12XB"\)/ },
  { name: 'a size below its bound', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    isolation:\n      memory: «1MiB\n', kind: 'bad-value', path: 'jobs.web.isolation.memory', message: /memory must be at least 16MiB/ },
  { name: 'a value outside its set, with the near miss', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    restart: «on_failure\n', kind: 'bad-value', path: 'jobs.web.restart', message: /one of no, on-failure, always \(got "on_failure"\) \(did you mean "on-failure"\?\)/ },
  { name: 'a number out of range', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    nice: «40\n', kind: 'bad-value', path: 'jobs.web.nice', message: /nice must be at most 19 \(got 40\)/ },
  { name: 'a core range that runs down', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    affinity: «"3-1"\n', kind: 'bad-value', path: 'jobs.web.affinity', message: /runs upwards/ },
  { name: 'round-robin without cores', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    affinity: «{ mode: round-robin }\n', kind: 'missing-key', path: 'jobs.web.affinity', message: /round-robin needs cores/ },
  { name: 'an unknown dependency, with the near miss', schema: 'cannot-say', yaml: 'jobs:\n  worker:\n    command: x\n    dependsOn:\n      «wbe: healthy\n  web:\n    command: y\n    readiness: { tcp: "127.0.0.1:80" }\n', kind: 'unknown-dependency', path: 'jobs.worker.dependsOn.wbe', message: /depends on "wbe", which this file does not define \(did you mean "web"\?\)/ },
  { name: 'an unknown dependency in the list form', schema: 'cannot-say', yaml: 'jobs:\n  worker:\n    command: x\n    dependsOn: [«db]\n', kind: 'unknown-dependency', path: 'jobs.worker.dependsOn[0]', message: /depends on "db"/ },
  { name: 'an unknown condition', schema: 'refuses', yaml: 'jobs:\n  a: { command: x }\n  b:\n    command: y\n    dependsOn: { a: «ready }\n', kind: 'bad-value', path: 'jobs.b.dependsOn.a', message: /started, healthy, succeeded/ },
  { name: 'an unknown key in a long-form dependency, with the near miss', schema: 'refuses', yaml: 'jobs:\n  a:\n    command: x\n    liveness: { tcp: "127.0.0.1:80" }\n  b:\n    command: y\n    dependsOn:\n      a: { condition: healthy, «onUnhealty: stop }\n', kind: 'unknown-key', path: 'jobs.b.dependsOn.a.onUnhealty', message: /unknown key "onUnhealty" \(did you mean "onUnhealthy"\?\)/ },
  { name: 'onUnhealthy with condition started', schema: 'refuses', yaml: 'jobs:\n  a: { command: x }\n  b:\n    command: y\n    dependsOn:\n      a: { condition: started, onUnhealthy: «stop }\n', kind: 'bad-value', path: 'jobs.b.dependsOn.a.onUnhealthy', message: /onUnhealthy belongs to condition: healthy/ },
  { name: 'an unknown onUnhealthy', schema: 'refuses', yaml: 'jobs:\n  a: { command: x, liveness: { tcp: "127.0.0.1:80" } }\n  b:\n    command: y\n    dependsOn: { a: { condition: healthy, onUnhealthy: «kill } }\n', kind: 'bad-value', path: 'jobs.b.dependsOn.a.onUnhealthy', message: /onUnhealthy must be one of tell, stop \(got "kill"\)/ },
  { name: 'a long-form dependency without its condition', schema: 'refuses', yaml: 'jobs:\n  a: { command: x }\n  b:\n    command: y\n    dependsOn:\n      «a: { onUnhealthy: stop }\n', kind: 'missing-key', path: 'jobs.b.dependsOn.a.condition', message: /condition is required here: condition must be one of started, healthy, succeeded/ },
  { name: 'a dependency cycle, its members in order', schema: 'cannot-say', yaml: 'jobs:\n  a:\n    command: x\n    dependsOn:\n      «b: started\n  b:\n    command: x\n    dependsOn: { c: succeeded }\n  c:\n    command: x\n    dependsOn: [a]\n  d:\n    command: x\n    dependsOn: [a]\n', kind: 'dependency-cycle', path: 'jobs.a.dependsOn.b', message: /dependency cycle: a → b → c → a/ },
  { name: 'a job depending on itself', schema: 'cannot-say', yaml: 'jobs:\n  a:\n    command: x\n    dependsOn: [«a]\n', kind: 'dependency-cycle', path: 'jobs.a.dependsOn[0]', message: /dependency cycle: a → a/ },
  { name: 'a duplicate job name', schema: 'not-data', yaml: 'jobs:\n  web:\n    command: x\n  «web:\n    command: y\n', kind: 'duplicate-name', path: 'jobs.web', message: /duplicate job name "web" \(first at line 2\)/ },
  { name: 'a duplicate key in a definition', schema: 'not-data', yaml: 'jobs:\n  web:\n    command: x\n    «command: y\n', kind: 'duplicate-name', path: 'jobs.web.command', message: /duplicate key "command" \(first at line 3\)/ },
  { name: 'two alerts with one id', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    alerts:\n      - { cpu: 90%, id: hot }\n      - { memory: 1G, id: «hot }\n', kind: 'duplicate-name', path: 'jobs.web.alerts[1].id', message: /two alerts have the id "hot"/ },
  { name: 'an envFile that cannot be read', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    envFile: «./missing.env\n', kind: 'env-file', path: 'jobs.web.envFile', message: /missing\.env cannot be read \(ENOENT\)/ },
  { name: 'an envFile that is a directory', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    envFile: «./envdir\n', kind: 'env-file', path: 'jobs.web.envFile', message: /is a directory/, files: { 'envdir/.keep': '' } },
  { name: 'a YAML syntax error', schema: 'not-data', yaml: 'jobs:\n  web:\n    command: [a, b\n«', kind: 'syntax', path: '', message: /YAML syntax: .*\]/ },
  { name: 'a tab as indentation', schema: 'not-data', yaml: 'jobs:\n  web:\n«\tcommand: x\n', kind: 'syntax', path: '', message: /YAML syntax: .*[Tt]ab/ },
  { name: 'an alias to no anchor', schema: 'not-data', yaml: 'jobs:\n  web:\n    command: x\n    env: «*defaults\n', kind: 'syntax', path: '', message: /alias \*defaults names no anchor/ },
  { name: 'a probe with two kinds', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    «liveness:\n      http: "http://127.0.0.1:8080/"\n      tcp: "127.0.0.1:8080"\n', kind: 'probe-kinds', path: 'jobs.web.liveness', message: /probe has http and tcp: give only one of http, tcp, exec, log/ },
  { name: 'an alert of two kinds', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    alerts:\n      - «{ cpu: 90%, memory: 1G }\n', kind: 'bad-value', path: 'jobs.web.alerts[0]', message: /alert has cpu and memory: give only one of cpu, memory, runtime, leak/ },
  { name: 'a probe with no kind', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    readiness: «{ interval: 1s }\n', kind: 'bad-value', path: 'jobs.web.readiness', message: /probe needs one of http, tcp, exec, log/ },
  { name: 'an http-only key on a tcp probe', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: x\n    readiness:\n      tcp: "127.0.0.1:80"\n      status: «200\n', kind: 'bad-value', path: 'jobs.web.readiness.status', message: /status and body belong to an http probe/ },
  { name: 'a tcp port out of range', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    readiness: { tcp: «"127.0.0.1:70000" }\n', kind: 'bad-value', path: 'jobs.web.readiness.tcp', message: /a port is 1 to 65535/ },
  { name: 'a log pattern that is no regular expression', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    readiness: { log: «"ready (" }\n', kind: 'bad-value', path: 'jobs.web.readiness.log', message: /not a valid regular expression: .*Unterminated group/ },
  { name: 'a bad cron expression', schema: 'cannot-say', yaml: 'jobs:\n  nightly:\n    command: x\n    schedule: «"61 * * * *"\n', kind: 'bad-cron', path: 'jobs.nightly.schedule', message: /bad cron expression "61 \* \* \* \*": Invalid value for minute: 61/ },
  { name: 'a cron expression with too few fields', schema: 'cannot-say', yaml: 'jobs:\n  nightly:\n    command: x\n    schedule:\n      cron: «"* *"\n', kind: 'bad-cron', path: 'jobs.nightly.schedule.cron', message: /five, six, or seven/ },
  { name: 'a schedule that never fires', schema: 'cannot-say', yaml: 'jobs:\n  nightly:\n    command: x\n    schedule: «"0 0 30 2 *"\n', kind: 'bad-cron', path: 'jobs.nightly.schedule', message: /never fires/ },
  { name: 'an unknown time zone', schema: 'cannot-say', yaml: 'jobs:\n  nightly:\n    command: x\n    schedule:\n      cron: "0 3 * * *"\n      timezone: «Mars/Olympus\n', kind: 'bad-cron', path: 'jobs.nightly.schedule.timezone', message: /unknown time zone "Mars\/Olympus"/ },
  { name: 'a job name a command line cannot take', schema: 'refuses', yaml: 'jobs:\n  «"my web":\n    command: x\n', kind: 'bad-value', path: 'jobs["my web"]', message: /a job name uses letters, digits/ },
  { name: 'a version this Procdeck does not read', schema: 'refuses', yaml: 'version: «2\njobs: {}\n', kind: 'bad-value', path: 'version', message: /reads version 1 files/ },
  { name: 'a cluster key on a local job', schema: 'cannot-say', yaml: 'jobs:\n  web:\n    command: x\n    where:\n      kind: local\n      partition: «gpu\n', kind: 'bad-value', path: 'jobs.web.where.partition', message: /belong to kind: slurm/ },
  { name: 'a NUL byte in a command', schema: 'refuses', yaml: 'jobs:\n  web:\n    command: «"a\\0b"\n', kind: 'bad-value', path: 'jobs.web.command', message: /NUL byte/ },
];

