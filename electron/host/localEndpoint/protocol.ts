import { join } from 'node:path';
import { z } from 'zod';
import { procdeckErrorSchema } from '../../../shared/errors';
import type { CommandName, CommandResult, EventName, EventPayload } from '../../../shared/contract';

/**
 * The local endpoint's wire format: newline-delimited JSON over a unix socket, one message
 * per line. Requests are the contract's commands (the same invoke as the WebSocket's),
 * plus `subscribe` to have the contract's events pushed; answers and events are the
 * WebSocket's messages. Defined once here, for the hosts and for the CLI.
 */

/** `<data dir>/procdeck.sock`: where the CLI finds whichever host runs on that data directory. */
export const LOCAL_SOCKET_NAME = 'procdeck.sock';
export const localSocketPath = (dataDir: string) => join(dataDir, LOCAL_SOCKET_NAME);

/** Bumped when a message changes incompatibly; the hello carries it so a CLI can tell. */
export const LOCAL_PROTOCOL_VERSION = 1;

/** A request line longer than this is answered with an error and skipped up to its newline. */
export const MAX_REQUEST_LINE_BYTES = 4 * 1024 * 1024;

/** What a client accepts from the host per line (a jobs.changed of thousands of jobs is megabytes). */
export const MAX_SERVER_LINE_BYTES = 256 * 1024 * 1024;

const requestId = z.number().int().nonnegative();

export const localClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('invoke'), id: requestId, name: z.string(), request: z.unknown() }),
  /** From now on, push these events (all of the contract's when `events` is absent). */
  z.object({ type: z.literal('subscribe'), id: requestId, events: z.array(z.string()).max(100).optional() }),
]);
export type LocalClientMessage = z.infer<typeof localClientMessageSchema>;

export interface LocalHello {
  type: 'hello';
  host: 'electron' | 'browser';
  version: string;
  /** The host's process id (the one holding the data directory's lock). */
  pid: number;
  protocol: number;
}

export type LocalServerMessage =
  | LocalHello
  | { type: 'result'; id: number | null; result: CommandResult<CommandName> }
  | { type: 'event'; name: EventName; payload: EventPayload<EventName> }
  /** The connection is refused (not the operator, too many clients, not reading): it is closed next. */
  | { type: 'refused'; message: string };

/** The envelope a client checks each line against; payloads are checked against the contract by name. */
export const localServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), host: z.enum(['electron', 'browser']), version: z.string(), pid: z.number().int(), protocol: z.number().int() }),
  z.object({
    type: z.literal('result'),
    id: requestId.nullable(),
    result: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: procdeckErrorSchema })]),
  }),
  z.object({ type: z.literal('event'), name: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('refused'), message: z.string() }),
]);
