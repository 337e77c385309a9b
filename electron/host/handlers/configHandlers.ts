import type { DeclaredServices } from '../../engine/services/declaredServices';
import type { DomainHandlers } from './domainHandlers';

/** config.*, through engine.services. */
export function configHandlers(services: DeclaredServices): DomainHandlers<'config.load' | 'config.diff' | 'config.apply' | 'config.export' | 'config.status' | 'config.saveDefinition' | 'config.setAutostart'> {
  return {
    'config.load': ({ path }) => services.load(path),
    'config.diff': ({ path }) => services.diff(path),
    'config.apply': ({ path }) => services.apply(path),
    'config.export': () => services.exportYaml(),
    'config.status': () => services.status(),
    'config.saveDefinition': (request) => services.saveDefinition(request),
    'config.setAutostart': ({ name, autostart }) => services.setAutostart(name, autostart),
  };
}
