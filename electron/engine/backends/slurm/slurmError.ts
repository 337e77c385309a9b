import type { ErrorCode } from '../../../../shared/errors';
import { EngineError } from '../../engineError';

/** What went wrong talking to Slurm, told apart so the caller (and the operator) can act on it. */
export type SlurmErrorKind =
  /** The Slurm command is not on PATH (or not in the configured bin dir). */
  | 'not-installed'
  /** No slurm.conf and no SLURM_CONF: the clients cannot find a cluster. */
  | 'not-configured'
  /** slurmctld does not answer. */
  | 'controller-down'
  /** munged is not running or rejects the credential. */
  | 'auth-failed'
  | 'bad-partition'
  /** The request can never run on this cluster (more memory than any node has…). */
  | 'unsatisfiable'
  /** Slurm refused an option of the request (its own words in the message). */
  | 'invalid-request'
  /** Slurm does not know the job (never existed, or left slurmctld's memory after MinJobAge). */
  | 'unknown-job'
  /** The job is not in a state that allows the operation (suspend a finished job…). */
  | 'bad-state'
  | 'permission-denied'
  | 'accounting-disabled'
  /** The command did not finish within its timeout and was killed. */
  | 'timed-out'
  /** Slurm answered with something this client cannot read. */
  | 'unreadable-output'
  | 'failed';

const CODES: Record<SlurmErrorKind, ErrorCode> = {
  'not-installed': 'UNSUPPORTED',
  'not-configured': 'UNSUPPORTED',
  'controller-down': 'SYSTEM_REFUSED',
  'auth-failed': 'SYSTEM_REFUSED',
  'bad-partition': 'INVALID_SPEC',
  unsatisfiable: 'INVALID_SPEC',
  'invalid-request': 'INVALID_SPEC',
  'unknown-job': 'NOT_FOUND',
  'bad-state': 'BAD_STATE',
  'permission-denied': 'SYSTEM_REFUSED',
  'accounting-disabled': 'UNSUPPORTED',
  'timed-out': 'SYSTEM_REFUSED',
  'unreadable-output': 'INTERNAL',
  failed: 'INTERNAL',
};

/** An error from a Slurm command, with Slurm's own words kept in `slurmMessage`. */
export class SlurmError extends EngineError {
  constructor(
    readonly kind: SlurmErrorKind,
    message: string,
    readonly command: string,
    readonly slurmMessage = '',
    field?: string,
  ) {
    super(CODES[kind], message, field);
    this.name = 'SlurmError';
  }
}

/** Slurm's error lines without the noise its clients print around them (plugin loading at -v). */
export function slurmErrorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^\S+: (select|debug|verbose)\b/.test(line) && !/ plugin loaded\b/.test(line));
}

interface Pattern {
  test: RegExp;
  kind: SlurmErrorKind;
  field?: string;
  explain: (command: string) => string;
}

// Slurm 22.05's wording (src/common/slurm_errno.c and the clients' messages).
const PATTERNS: Pattern[] = [
  { test: /Unable to contact slurm controller|Slurmctld\(primary\) at .* is DOWN/i, kind: 'controller-down', explain: () => 'the Slurm controller (slurmctld) is not answering' },
  { test: /Could not establish a configuration source|fetch_config|resolve_ctls_from_dns_srv/i, kind: 'not-configured', explain: () => 'Slurm is not configured here: no SLURM_CONF and no slurm.conf to find the cluster by' },
  { test: /Unable to process configuration file|s_p_parse_file/i, kind: 'not-configured', explain: () => "Slurm's configuration (slurm.conf) cannot be read" },
  { test: /Munge (encode|decode) failed|Unable to contact munge|auth_g_(create|verify)|Protocol authentication error/i, kind: 'auth-failed', explain: () => 'Slurm authentication (munge) failed' },
  { test: /Invalid partition name specified|invalid partition specified/i, kind: 'bad-partition', field: 'partition', explain: () => 'the partition does not exist on this cluster' },
  { test: /Memory specification can not be satisfied/i, kind: 'unsatisfiable', field: 'memoryBytes', explain: () => 'no node of the cluster has that much memory' },
  { test: /Requested node configuration is not available/i, kind: 'unsatisfiable', explain: () => 'no node of the cluster can satisfy the request' },
  { test: /Invalid --time specification|Requested time limit is invalid/i, kind: 'invalid-request', field: 'timeLimitMs', explain: () => 'the time limit is not accepted by the cluster' },
  { test: /Invalid job id specified|Invalid job id/i, kind: 'unknown-job', explain: () => 'Slurm does not know this job (it never existed or has left the controller)' },
  { test: /already completing or completed|Job is not suspended|Job is pending execution|Job is current not running|Requested operation is presently disabled|Job\/step already/i, kind: 'bad-state', explain: () => 'the job is not in a state that allows this' },
  { test: /Access\/permission denied|Invalid user id|User not found/i, kind: 'permission-denied', explain: () => 'Slurm refused this user' },
  { test: /accounting storage is disabled/i, kind: 'accounting-disabled', explain: () => 'Slurm accounting storage is disabled on this cluster: no sacct history' },
];

/** Turns a failed command's stderr into a typed error whose message names what was wrong, in Slurm's words too. */
export function classifySlurmFailure(command: string, stderr: string, exitCode: number | undefined): SlurmError {
  const lines = slurmErrorLines(stderr);
  const slurmMessage = lines.join('\n');
  for (const p of PATTERNS) {
    const line = lines.find((l) => p.test.test(l));
    if (line) return new SlurmError(p.kind, `${p.explain(command)} (${command}: ${stripPrefix(line)})`, command, slurmMessage, p.field);
  }
  const said = lines.length > 0 ? stripPrefix(lines[lines.length - 1]!) : 'no message';
  return new SlurmError('failed', `${command} failed${exitCode === undefined ? '' : ` with exit status ${exitCode}`}: ${said}`, command, slurmMessage);
}

/** "sbatch: error: Batch job submission failed: X" -> "Batch job submission failed: X" */
function stripPrefix(line: string): string {
  return line.replace(/^\S+: (error|fatal): /, '');
}
