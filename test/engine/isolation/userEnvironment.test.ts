import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../../../shared/jobSpec';
import { operatorPath, userEnvironment } from '../../../electron/engine/isolation/userEnvironment';
import { buildEnv, defaultWorkingDirectory } from '../../../electron/engine/supervisor/launchPlan';

const NPM_PATH = [
  '/usr/bin',
  '/work/procdeck/node_modules/.bin',
  '/work/node_modules/.bin',
  '/node_modules/.bin',
  '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
  '/home/op/bin',
  '/usr/local/bin',
  '/usr/bin',
  '/bin',
].join(':');

describe('userEnvironment: what jobs start from', () => {
  it("drops Procdeck's, npm's, Node's, Electron's and the tools' variables, and keeps the operator's", () => {
    const env = userEnvironment({
      PROCDECK_TOKEN: 't',
      PROCDECK_REACT_PROFILE: '1',
      npm_config_cache: '/root/.npm',
      npm_lifecycle_event: 'start',
      npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
      NPM_CONFIG_REGISTRY: 'http://registry',
      INIT_CWD: '/work/procdeck',
      NODE: '/usr/bin/node',
      COLOR: '1',
      NODE_OPTIONS: '--inspect',
      NODE_CHANNEL_FD: '3',
      ELECTRON_RUN_AS_NODE: '1',
      TSX_TSCONFIG_PATH: 'x',
      VITEST_POOL_ID: '1',
      PWD: '/work/procdeck',
      OLDPWD: '/',
      _: '/usr/bin/npm',
      PATH: NPM_PATH,
      HOME: '/home/op',
      LANG: 'C.UTF-8',
      SSH_AUTH_SOCK: '/run/agent',
      EDITOR: 'vi',
    });
    expect(env).toEqual({ PATH: '/home/op/bin:/usr/local/bin:/usr/bin:/bin', HOME: '/home/op', LANG: 'C.UTF-8', SSH_AUTH_SOCK: '/run/agent', EDITOR: 'vi' });
  });

  it('keeps NODE and COLOR when npm did not start Procdeck: then they are the operator\'s own', () => {
    expect(userEnvironment({ NODE: '/opt/node', COLOR: 'always' })).toEqual({ NODE: '/opt/node', COLOR: 'always' });
  });

  it("puts back the desktop Electron replaced with Unity, or removes it if there was none", () => {
    expect(userEnvironment({ XDG_CURRENT_DESKTOP: 'Unity', ORIGINAL_XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' })).toEqual({ XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' });
    expect(userEnvironment({ XDG_CURRENT_DESKTOP: 'Unity', ORIGINAL_XDG_CURRENT_DESKTOP: 'undefined' })).toEqual({});
  });

  it("takes the PATH npm was given (after its node-gyp-bin, even when nested) and removes package bin dirs anywhere", () => {
    const nested = ['/usr/bin', '/a/node_modules/.bin', '/x/@npmcli/run-script/lib/node-gyp-bin', NPM_PATH].join(':');
    expect(operatorPath(nested)).toBe('/home/op/bin:/usr/local/bin:/usr/bin:/bin');
    expect(operatorPath('/srv/app/node_modules/.bin:/usr/bin')).toBe('/usr/bin');
    expect(operatorPath('/usr/bin:/bin')).toBe('/usr/bin:/bin');
  });

  it("fills in the login variables a service manager or CI runner left out from the account, keeping those that are set", () => {
    const account = { name: 'op', home: '/home/op', shell: '/bin/bash' };
    expect(userEnvironment({ PATH: '/usr/bin' }, account)).toEqual({ PATH: '/usr/bin', USER: 'op', LOGNAME: 'op', HOME: '/home/op', SHELL: '/bin/bash' });
    expect(userEnvironment({ USER: 'me', HOME: '/srv/me', SHELL: '/bin/zsh' }, account)).toEqual({ USER: 'me', LOGNAME: 'op', HOME: '/srv/me', SHELL: '/bin/zsh' });
    expect(userEnvironment({}, { ...account, shell: null })).toEqual({ USER: 'op', LOGNAME: 'op', HOME: '/home/op' });
  });

  it("still lets a job's own env.set name any variable: the operator asked for it", () => {
    const spec = jobSpecSchema.parse({ command: { kind: 'argv', program: 'true' }, env: { set: { PROCDECK_MODE: 'child', NODE_OPTIONS: '--max-old-space-size=64' } } });
    expect(buildEnv(spec, userEnvironment({ PROCDECK_TOKEN: 't', PATH: '/usr/bin' }))).toEqual({ PATH: '/usr/bin', PROCDECK_MODE: 'child', NODE_OPTIONS: '--max-old-space-size=64' });
  });

  it('runs jobs that name no working directory in the home directory, or / when there is none', () => {
    const home = mkdtempSync(join(tmpdir(), 'procdeck-home-'));
    expect(defaultWorkingDirectory(home)).toBe(home);
    rmSync(home, { recursive: true });
    expect(defaultWorkingDirectory('/nonexistent-home-for-procdeck')).toBe('/');
  });
});
