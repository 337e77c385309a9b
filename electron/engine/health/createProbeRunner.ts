import { EngineError } from '../engineError';
import { createExecProbe, type ProbeSpawner } from './execProbe';
import { createHttpProbe } from './httpProbe';
import { createLogProbe, type LineSource } from './logProbe';
import type { ProbeRunner } from './probeAttempt';
import type { ProbeCheck } from './probeSpec';
import { createTcpProbe } from './tcpProbe';

/** What the engine gives a run's probes: how to start a command as the job would, and the run's output lines. */
export interface ProbeDependencies {
  spawn?: ProbeSpawner;
  lines?: LineSource;
}

export function createProbeRunner(check: ProbeCheck, dependencies: ProbeDependencies): ProbeRunner {
  switch (check.kind) {
    case 'http':
      return createHttpProbe(check);
    case 'tcp':
      return createTcpProbe(check);
    case 'exec':
      return createExecProbe(check, dependencies.spawn);
    case 'log':
      if (!dependencies.lines) throw new EngineError('INTERNAL', 'a log probe needs the run\'s output lines');
      return createLogProbe(check, dependencies.lines);
  }
}
