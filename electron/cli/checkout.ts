import { fileURLToPath } from 'node:url';

/**
 * The checkout (or installed package) this CLI belongs to. This file sits two levels below
 * it, as every file of the build does (dist/node/*.js), so the same URL works from both.
 */
export const CHECKOUT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
