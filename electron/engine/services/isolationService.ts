import type { IsolationReport, IsolationSpec, RunAs } from '../../../shared/isolation';
import { describeIsolation, describeMachine } from '../isolation/describeIsolation';

/** engine.isolation: what an isolation setting puts in force on this machine, before any job exists. */
export class IsolationService {
  describe(isolation: IsolationSpec, runAs?: RunAs): { report: IsolationReport; machine: string[] } {
    return { report: describeIsolation(isolation, runAs), machine: describeMachine() };
  }
}
