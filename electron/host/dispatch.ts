import {
  commands,
  isCommandName,
  type CommandName,
  type CommandResponse,
  type CommandResult,
  type ParsedRequest,
} from '../../shared/contract';
import { EngineError, toErrorPayload } from '../engine/engineError';
import { DEFAULT_VIEWER, type ViewerId } from './viewer';
import { logFault, type FaultLog } from './faultLog';

/** Who sent a command, as the host knows it: for commands whose effect is per viewer (system.view). */
export interface CommandContext {
  /** The host connection: one per browser tab (WebSocket) or window (IPC sender). */
  viewer: ViewerId;
}

export type CommandHandlers = {
  [N in CommandName]: (request: ParsedRequest<N>, context: CommandContext) => CommandResponse<N> | Promise<CommandResponse<N>>;
};

export type Dispatch = (name: unknown, request: unknown, context?: CommandContext) => Promise<CommandResult<CommandName>>;

/**
 * The one generic binding both hosts use: unknown name → typed error; request parsed with the
 * command's schema before any handler runs; every failure becomes a result, never a throw.
 * A failure the engine did not mean (anything but an EngineError) is a bug: logged with its stack.
 */
export function createDispatch(handlers: CommandHandlers, log: FaultLog = logFault): Dispatch {
  return async (name, request, context = { viewer: DEFAULT_VIEWER }) => {
    try {
      if (!isCommandName(name)) {
        throw new EngineError('UNKNOWN_COMMAND', `unknown command ${JSON.stringify(name)}`);
      }
      const parsed = commands[name].request.safeParse(request ?? {});
      if (!parsed.success) throw EngineError.fromZod('INVALID_REQUEST', parsed.error);
      const handler = handlers[name] as (req: unknown, context: CommandContext) => unknown;
      const value = (await handler(parsed.data, context)) as CommandResponse<typeof name>;
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof EngineError)) log(`command ${typeof name === 'string' ? name : '?'} failed (answered INTERNAL)`, error);
      return { ok: false, error: toErrorPayload(error) };
    }
  };
}
