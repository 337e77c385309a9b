import { EngineError } from '../../engine/engineError';
import type { DomainHandlers } from './domainHandlers';

/**
 * access.*: the host's own, not the engine's. Only browser mode has an access token; it replaces
 * this handler with its rotation (electron/web/browserHost.ts). Any other host refuses, saying why.
 */
export function accessHandlers(): DomainHandlers<'access.rotateToken'> {
  return {
    'access.rotateToken': () => {
      throw new EngineError('UNSUPPORTED', 'only browser mode has an access token to rotate; the desktop app needs none');
    },
  };
}
