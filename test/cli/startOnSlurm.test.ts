import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { specFromCommandLine } from '../../electron/cli/verbs/start';
import { start } from '../../electron/cli/verbs/start';
import type { CliContext } from '../../electron/cli/cliContext';

// The options as commander parses them from a real command line (its own argument parsers), then the spec they make.
async function specOf(args: string[]) {
  let captured: unknown;
  const program = new Command().exitOverride();
  const context = { io: { cwd: '/srv', out: () => undefined }, client: () => Promise.reject(new Error('no engine in this test')) } as unknown as CliContext;
  start(program, context);
  const command = program.commands.find((c) => c.name() === 'start')!;
  command.action((argv: string[], options: Parameters<typeof specFromCommandLine>[1]) => {
    captured = specFromCommandLine(argv, options, '/srv');
  });
  await program.parseAsync(['node', 'procdeck', 'start', ...args]);
  return captured;
}

describe('procdeck start --on slurm', () => {
  it('puts the job on the cluster with the resources asked for, in the engine\'s units', async () => {
    expect(await specOf(['--on', 'slurm', '--partition', 'gpu', '--cpus', '4', '--mem', '512M', '--time', '1h30m', '--nodes', '2', '--shell', 'make -j4'])).toMatchObject({
      command: { kind: 'shell', script: 'make -j4' },
      cwd: '/srv',
      where: { kind: 'slurm', partition: 'gpu', cpus: 4, memoryBytes: 512 * 1024 * 1024, timeLimitMs: 90 * 60_000, nodes: 2 },
    });
    expect(await specOf(['--on', 'slurm', '--', 'sleep', '1'])).toMatchObject({ where: { kind: 'slurm' } });
    expect(await specOf(['--', 'sleep', '1'])).not.toHaveProperty('where');
  });

  it('refuses a cluster resource without --on slurm, and values that are not sizes, durations or counts', async () => {
    await expect(specOf(['--partition', 'gpu', '--', 'true'])).rejects.toThrow(/--partition ask the Slurm cluster for resources: add --on slurm/);
    await expect(specOf(['--on', 'slurm', '--mem', 'lots', '--', 'true'])).rejects.toThrow(/expected a size with a unit/);
    await expect(specOf(['--on', 'slurm', '--time', '90', '--', 'true'])).rejects.toThrow(/expected a duration with a unit/);
    await expect(specOf(['--on', 'slurm', '--cpus', '0', '--', 'true'])).rejects.toThrow(/--cpus is a whole number of at least 1/);
    await expect(specOf(['--on', 'mars', '--', 'true'])).rejects.toThrow(/Allowed choices are local, slurm/);
  });
});
