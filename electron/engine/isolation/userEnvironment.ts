import { userInfo } from 'node:os';
import { delimiter } from 'node:path';

/**
 * What jobs never inherit from the environment Procdeck was started with, and why. Each of
 * these is Procdeck's own plumbing, not the operator's environment:
 * - PROCDECK_*: the browser host's access token (a job holding it could drive Procdeck, start
 *   a job as root) and Procdeck's own switches.
 * - npm_* / NPM_* (npm_config_*, npm_package_*, npm_lifecycle_*…), INIT_CWD: `npm start`
 *   sets them for Procdeck's own scripts (the checkout, the npm cache, the registry config).
 * - NODE_OPTIONS, NODE_CHANNEL_FD, NODE_CHANNEL_SERIALIZATION_MODE, NODE_UNIQUE_ID: how
 *   Procdeck's Node was started (a job's own `node` would load the same flags, or try to talk
 *   on an IPC channel it does not have).
 * - ELECTRON_*: the Electron shell's own switches (ELECTRON_RUN_AS_NODE would turn any
 *   Electron app a job starts into plain Node).
 * - TSX_*, VITE_*, VITEST*: the TypeScript runner and the build and test tools.
 * - ORIGINAL_XDG_CURRENT_DESKTOP: Electron replaces XDG_CURRENT_DESKTOP with "Unity" for its
 *   tray icon and keeps the operator's value there (electron/electron#47414); it is put back.
 * - PWD, OLDPWD, `_`: where Procdeck was started from and by which program, not the job's.
 */
const DROPPED_PREFIXES = ['PROCDECK_', 'ELECTRON_', 'TSX_', 'VITE_', 'VITEST'];
const DROPPED_NAMES = new Set(['INIT_CWD', 'NODE_OPTIONS', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'NODE_UNIQUE_ID', 'PWD', 'OLDPWD', '_']);
/** npm sets these to its own values when it starts a script; elsewhere they are ordinary names the operator may have set. */
const NPM_SET_NAMES = ['NODE', 'COLOR'];

/** npm's run-script puts this directory right before the PATH it was given: what follows is the operator's. */
const NPM_NODE_GYP_BIN = /\/@npmcli\/run-script\/lib\/node-gyp-bin$/;
/** A package's local bin directory (Procdeck's own `tsc`, `vite`…), wherever npm or a runner added it. */
const PACKAGE_BIN = /(^|\/)node_modules\/\.bin\/?$/;

const startedByNpm = (env: NodeJS.ProcessEnv) => Object.keys(env).some((name) => /^npm_(execpath|command|lifecycle_event)$/i.test(name));

/**
 * The PATH the operator had: npm prepends node's own directory, `node_modules/.bin` of every
 * directory up from the package, and its node-gyp-bin, in front of the PATH it was given;
 * everything before its node-gyp-bin entry goes. Package bin directories anywhere else go too.
 */
export function operatorPath(path: string): string {
  let entries = path.split(delimiter);
  const npmEnd = entries.findLastIndex((entry) => NPM_NODE_GYP_BIN.test(entry));
  if (npmEnd >= 0) entries = entries.slice(npmEnd + 1);
  return entries.filter((entry) => !PACKAGE_BIN.test(entry) && !entry.endsWith('/node-gyp-bin')).join(delimiter);
}

function restoreDesktop(env: Record<string, string>): void {
  const original = env.ORIGINAL_XDG_CURRENT_DESKTOP;
  if (original === undefined) return;
  delete env.ORIGINAL_XDG_CURRENT_DESKTOP;
  // Electron copies the variable with a plain assignment: an unset one becomes the text "undefined".
  if (original === 'undefined') delete env.XDG_CURRENT_DESKTOP;
  else env.XDG_CURRENT_DESKTOP = original;
}

/** The passwd entry of the account Procdeck runs as: what login(1) and systemd's User= put in a session. */
export interface LoginAccount {
  name: string;
  home: string;
  shell: string | null;
}

export function currentAccount(): LoginAccount | undefined {
  try {
    const { username, homedir, shell } = userInfo();
    return { name: username, home: homedir, shell };
  } catch {
    return undefined; // a uid with no passwd entry: there is nothing to fill in from
  }
}

/**
 * A service manager, a container or a CI runner may start Procdeck with no USER, LOGNAME,
 * HOME or SHELL; a job (and a script running "$SHELL -c …") expects a login's variables, so the
 * missing ones come from the account, as login(1) sets them. Values that are there are kept.
 */
function fillLoginVariables(env: Record<string, string>, account: LoginAccount): void {
  env.USER ??= account.name;
  env.LOGNAME ??= account.name;
  env.HOME ??= account.home;
  if (account.shell) env.SHELL ??= account.shell;
}

/**
 * The environment of the user who started Procdeck, which every job starts from (before its
 * own `env` settings): the environment Procdeck was started with, less Procdeck's own
 * plumbing (DROPPED_PREFIXES and DROPPED_NAMES above, and NODE and COLOR when npm started
 * Procdeck), with the PATH the operator had before npm added to it, and the account's login
 * variables where they were missing. Computed once, when the engine starts. A job's own
 * `env.set` may still name any of these: the operator asked for it.
 */
export function userEnvironment(started: NodeJS.ProcessEnv, account?: LoginAccount): Record<string, string> {
  const npm = startedByNpm(started);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(started)) {
    if (value === undefined) continue;
    if (/^npm_/i.test(name) || DROPPED_NAMES.has(name) || DROPPED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    if (npm && NPM_SET_NAMES.includes(name)) continue;
    env[name] = value;
  }
  if (env.PATH !== undefined) env.PATH = operatorPath(env.PATH);
  restoreDesktop(env);
  if (account !== undefined) fillLoginVariables(env, account);
  return env;
}
