// The isolation API the engine uses: prepare at preflight/launch, wrap just before spawning.
export { prepareIsolation, type IsolationRequest, type Preparation } from './prepareIsolation';
export { wrapLaunch, type IsolatedLaunch } from './wrapLaunch';
export { capabilities, probeCapabilities, type Capabilities } from './capabilities';
export { describeLimits } from './describeLimits';
export { resolveLimits, effectiveTimeoutMs, PRESETS, type ResolvedLimits } from './presets';
export { checkCommandPolicy, POLICY_ERROR_CODE } from './commandPolicy';
export { reapStaleCgroups } from './reapCgroups';
export { describeIsolation, describeMachine } from './describeIsolation';
export { prepareJobIsolation, type IsolatedSpec, type JobIsolationContext } from './jobIsolation';
