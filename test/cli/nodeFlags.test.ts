import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cliHelpers';

// The server's V8 flags (electron/bin/procdeck.js says why) reach node whichever way it is
// started: `npm start`, `npm run serve`, or the bin run directly (its #! line).
const shebangFlags = (bin: string) => {
  const line = readFileSync(join(ROOT, bin), 'utf8').split('\n')[0]!;
  const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)$/.exec(line);
  expect(match, `${bin}'s #! line: ${line}`).not.toBeNull();
  return match![1]!.trim().split(' ');
};
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const scriptFlags = (name: string, bin: string) => {
  const match = new RegExp(`^node((?: --[\\w-]+(?:=\\S+)?)*) ${bin.replace(/[.]/g, '\\.')}\\b`).exec(scripts[name]!);
  expect(match, `npm run ${name}: ${scripts[name]}`).not.toBeNull();
  return match![1]!.trim().split(' ');
};

describe("the server's node flags", () => {
  it('are the same in the bins and in npm start / npm run serve, the young generation capped and collectable on demand, one V8 worker thread', () => {
    const flags = shebangFlags('electron/bin/procdeck.js');
    expect(flags).toContain('--max-semi-space-size=1');
    // logs/readBufferCollector.ts collects the young generation during a log flood.
    expect(flags).toContain('--expose-gc');
    // One V8 worker thread: fewer thread stacks and malloc arenas (issue 15, README).
    expect(flags).toContain('--v8-pool-size=1');
    expect(shebangFlags('electron/bin/start.js')).toEqual(flags);
    expect(scriptFlags('serve', 'electron/bin/procdeck.js')).toEqual(flags);
    expect(scriptFlags('start', 'electron/bin/start.js')).toEqual(flags);
  });
});
