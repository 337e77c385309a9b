import type { CommandResponse, ParsedRequest } from '../../../shared/contract';
import type { Engine } from '../../engine/engine';
import { checkCommand } from '../../engine/supervisor/commandCheck';

/**
 * jobs.check: the warnings a spec would earn at launch, looked up as the engine would launch
 * it (the jobs' environment and default working directory). Starts nothing and changes nothing.
 */
export function checkJobHandler(engine: Pick<Engine, 'jobEnvironment' | 'options'>) {
  return ({ spec }: ParsedRequest<'jobs.check'>): CommandResponse<'jobs.check'> => ({
    warnings: checkCommand(spec, { cwd: engine.options.defaultCwd, env: engine.jobEnvironment }),
  });
}
