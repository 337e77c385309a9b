import { existsSync } from 'node:fs';
import { HostScan, type MachineInterest, type TickScanner } from './hostScan';
import { MachineMonitor, type MachineMonitorOptions } from './machineMonitor';
import { Monitor, type MonitorOptions } from './monitor';

export interface MonitoringOptions extends MonitorOptions, MachineMonitorOptions {
  /** Successive /proc scans: a fake in tests. */
  scanner?: TickScanner;
  /** Whether this machine has a /proc to monitor (default: whether /proc/self/stat exists). */
  procfs?: boolean;
}

/** The monitor, and this machine's host scan: the local backend samples its runs through it, and the machine's monitor takes the same scan. */
export interface Monitoring {
  monitor: Monitor;
  /** Undefined where there is no /proc (the local backend then samples with pidusage, and there is no machine monitor). */
  host?: HostScan;
}

/** The monitor as the engine wires it. */
export function createMonitoring(options: MonitoringOptions = {}): Monitoring {
  if (!(options.procfs ?? existsSync('/proc/self/stat'))) return { monitor: new Monitor(undefined, options) };
  // The host scan asks the machine's monitor what else to read (at each scan, so after both exist); that monitor takes the scan back.
  const host: HostScan = new HostScan((): MachineInterest => machine.interest(), options.scanner);
  const machine: MachineMonitor = new MachineMonitor(host, options);
  return { monitor: new Monitor(machine, options), host };
}
