import {
  commands,
  isCommandName,
  type CommandName,
  type CommandResponse,
  type CommandResult,
  type ParsedRequest,
} from '../../shared/contract';
import { EngineError, toErrorPayload } from '../engine/engineError';

export type CommandHandlers = {
  [N in CommandName]: (request: ParsedRequest<N>) => CommandResponse<N> | Promise<CommandResponse<N>>;
};

export type Dispatch = (name: unknown, request: unknown) => Promise<CommandResult<CommandName>>;

/**
 * The one generic binding both hosts use: unknown name → typed error; request parsed with the
 * command's schema before any handler runs; every failure becomes a result, never a throw.
 */
export function createDispatch(handlers: CommandHandlers): Dispatch {
  return async (name, request) => {
    try {
      if (!isCommandName(name)) {
        throw new EngineError('UNKNOWN_COMMAND', `unknown command ${JSON.stringify(name)}`);
      }
      const parsed = commands[name].request.safeParse(request ?? {});
      if (!parsed.success) throw EngineError.fromZod('INVALID_REQUEST', parsed.error);
      const handler = handlers[name] as (req: unknown) => unknown;
      const value = (await handler(parsed.data)) as CommandResponse<typeof name>;
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  };
}
