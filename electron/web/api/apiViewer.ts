import type { ViewerId } from '../../host/viewer';

/**
 * The viewer every HTTP API caller is (requests are stateless, there is no connection to be
 * a viewer of its own): a `system.view` from a script opens this one view, and the event
 * stream sends its process list in monitor.tick. Its lease ends 30 s after the last renewal.
 */
export const API_VIEWER: ViewerId = 'api';
