import { apply } from './apply';
import { jobActions } from './jobActions';
import { logs } from './logs';
import { ls } from './ls';
import { runs } from './runs';
import { serve } from './serve';
import { signal } from './signal';
import { start } from './start';
import { status } from './status';
import { token } from './token';
import type { Verb } from './verb';
import { wait } from './wait';

/**
 * Every verb, in the order `procdeck --help` lists them. Still to come with the services
 * issue (run history): logs --run N, a file of its own here.
 */
export const VERBS: Verb[] = [ls, status, start, jobActions, signal, logs, runs, wait, apply, serve, token];
