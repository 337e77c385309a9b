import type { BackendsService } from '../../engine/services/backendsService';
import type { DomainHandlers } from './domainHandlers';

/** backends.describe, through engine.backends. */
export function backendHandlers(backends: BackendsService): DomainHandlers<'backends.describe'> {
  return {
    'backends.describe': () => ({ backends: backends.describe() }),
  };
}
