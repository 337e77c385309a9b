import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CommandName, CommandResult } from '../../shared/contract';

export interface EngineAnswer {
  id: number;
  result: CommandResult<CommandName>;
}

/** An engine in its own process (fixtures/submitChild.ts), answering requests sent over IPC. */
export async function engineChild(dataDir: string): Promise<{ child: ChildProcess; exited: Promise<unknown>; killHard(): Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/submitChild.ts'), dataDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`engine child exited early (${code})`)));
  });
  return {
    child,
    exited,
    killHard() {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Sends one request and waits for its answer. */
export function ask(child: ChildProcess, id: number, name: CommandName, request: unknown): Promise<CommandResult<CommandName>> {
  return new Promise((resolve) => {
    const onMessage = (message: EngineAnswer) => {
      if (message.id !== id) return;
      child.off('message', onMessage);
      resolve(message.result);
    };
    child.on('message', onMessage);
    child.send({ id, name, request });
  });
}
