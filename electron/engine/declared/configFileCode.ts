// What engine.services needs to read, check, diff, write and export a config file: the YAML
// parser (yaml, 0.3 MB of source) and config/'s checks. One module, imported by
// services/declaredServices.ts at the first config command (or --config at start), so an
// engine without a config file never compiles or holds any of it (issue 15, memory).
export { diffDefinitions, restartOrder } from '../config/diffDefinitions';
export { exportDefinitions } from '../config/exportConfig';
export { describeDiff, envFilesOf, readAnyConfig, readConfigOrThrow } from '../config/readConfigFile';
export { saveDefinitionInto, setAutostartIn } from './saveDefinition';
