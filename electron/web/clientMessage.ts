import { wsClientMessageSchema, type CommandName, type CommandResult, type WsClientMessage } from '../../shared/contract';
import { EngineError } from '../engine/engineError';

/** Larger messages are answered with an error without being parsed (the largest legitimate one is a 1 MiB stdin write). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export type ParsedClientMessage =
  | { ok: true; message: WsClientMessage }
  | { ok: false; id: number | null; result: CommandResult<CommandName> };

const refuse = (id: number | null, message: string): ParsedClientMessage => ({
  ok: false,
  id,
  result: { ok: false, error: { code: 'INVALID_REQUEST', message } },
});

/** The id of a message that is otherwise malformed, so the client can still match the answer. */
function salvageId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** Turns one WebSocket frame into an invoke, or into the error result to answer it with. */
export function parseClientMessage(data: string | null, byteLength: number): ParsedClientMessage {
  if (data === null) return refuse(null, 'binary messages are not supported; send JSON text');
  if (byteLength > MAX_MESSAGE_BYTES) {
    return refuse(null, `message of ${byteLength} bytes is larger than the limit of ${MAX_MESSAGE_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    return refuse(null, `message is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = wsClientMessageSchema.safeParse(value);
  if (!parsed.success) {
    const reason = EngineError.fromZod('INVALID_REQUEST', parsed.error).message;
    return refuse(salvageId(value), `message is not an invoke {type:'invoke', id, name, request}: ${reason}`);
  }
  return { ok: true, message: parsed.data };
}
