import type { IsolationService } from '../../engine/services/isolationService';
import type { DomainHandlers } from './domainHandlers';

/** isolation.describe, through engine.isolation. */
export function isolationHandlers(isolation: IsolationService): DomainHandlers<'isolation.describe'> {
  return {
    'isolation.describe': ({ isolation: spec, runAs }) => isolation.describe(spec, runAs),
  };
}
