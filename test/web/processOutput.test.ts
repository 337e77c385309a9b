import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it("writes to browser mode's stdout after its reader is gone (EPIPE) are dropped: the process goes on", async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/printsAfterPipeCloses.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? '?')));
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stdout.destroy();
  child.kill('SIGUSR2');
  expect(await exited).toBe(0);
  expect(err).toBe('alive after 50 prints into the closed pipe\n');
});
