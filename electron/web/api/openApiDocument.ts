import { z } from 'zod';
import { commands, events, type CommandName, type EventName } from '../../../shared/contract';
import { procdeckErrorSchema } from '../../../shared/errors';
import { API_BASE, commandPath, EVENTS_PATH, METRICS_PATH, OPENAPI_PATH } from './apiPaths';
import { ERROR_STATUS } from './errorStatus';
import { API_VIEWER } from './apiViewer';

type JsonObject = Record<string, unknown>;

/** The error envelope every refusal of the API answers with. */
export const errorEnvelopeSchema = z.object({ error: procdeckErrorSchema });

/**
 * JSON Schema of a zod schema as OpenAPI 3.1 takes it (draft 2020-12, the default dialect).
 * Requests in their input form (defaults may be left out), responses in their output form.
 * Something zod cannot express (a transform) throws rather than turning into "anything".
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as JsonObject;
  return rest;
}

export const requestSchemaName = (name: CommandName) => `${name}.request`;
export const responseSchemaName = (name: CommandName) => `${name}.response`;
const eventSchemaName = (name: EventName) => `event.${name}`;
const ref = (schemaName: string) => ({ $ref: `#/components/schemas/${schemaName}` });
const jsonContent = (schemaName: string) => ({ 'application/json': { schema: ref(schemaName) } });

/** Which codes each status stands for, from the one table. */
function codesByStatus(): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS)) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return byStatus;
}

/** Refusals before a request reaches its command: access, and a body that cannot be read. */
const ACCESS_RESPONSES: Record<string, string> = {
  '401': 'no or wrong "Authorization: Bearer <token>" header (a cookie or a token in the URL is not accepted)',
  '403': 'a request from a web page of another origin',
  '421': 'a Host header that does not name this server',
};
const BODY_RESPONSES: Record<string, string> = {
  '400': 'the body is not valid JSON or UTF-8 (code INVALID_REQUEST)',
  '413': `the body is larger than the limit`,
  '415': 'the body is not application/json',
};

function errorResponses(statuses: Iterable<[string, string]>) {
  const responses: Record<string, { description: string; content: ReturnType<typeof jsonContent> }> = {};
  for (const [status, description] of statuses) {
    const existing = responses[status]?.description;
    responses[status] = { description: existing ? `${existing}; ${description}` : description, content: jsonContent('Error') };
  }
  return responses;
}

function commandOperation(name: CommandName) {
  const commandErrors = [...codesByStatus()].map(([status, codes]): [string, string] => [String(status), `error codes ${codes.join(', ')}`]);
  return {
    post: {
      operationId: name,
      summary: `The contract command ${name}`,
      ...(name === 'system.view' && {
        description: `Every API caller is the one viewer "${API_VIEWER}": its system view (renew within 30 s) sends its process list in the monitor.tick events of ${EVENTS_PATH}.`,
      }),
      requestBody: {
        description: 'The request as JSON; an empty body is {}.',
        required: false,
        content: jsonContent(requestSchemaName(name)),
      },
      responses: {
        '200': { description: 'The command succeeded: its answer.', content: jsonContent(responseSchemaName(name)) },
        ...errorResponses([...commandErrors, ...Object.entries(BODY_RESPONSES), ...Object.entries(ACCESS_RESPONSES)]),
      },
    },
  };
}

/** The OpenAPI 3.1 document of the API, generated from the contract, so the two cannot drift apart. */
export function buildOpenApiDocument(version: string): JsonObject {
  const names = Object.keys(commands) as CommandName[];
  const eventNames = Object.keys(events) as EventName[];
  const schemas: JsonObject = { Error: jsonSchema(errorEnvelopeSchema, 'output') };
  for (const name of names) {
    schemas[requestSchemaName(name)] = jsonSchema(commands[name].request, 'input');
    schemas[responseSchemaName(name)] = jsonSchema(commands[name].response, 'output');
  }
  for (const name of eventNames) schemas[eventSchemaName(name)] = jsonSchema(events[name], 'output');

  const paths: JsonObject = Object.fromEntries(names.map((name) => [commandPath(name), commandOperation(name)]));
  paths[EVENTS_PATH] = {
    get: {
      operationId: 'events',
      summary: 'Server-sent events: the WebSocket events, under the same names and payloads',
      description:
        `Each event is "event: <name>" and "data: <payload as JSON>" (payloads: the schemas event.<name>); ` +
        'comment lines are heartbeats. A client that reads too slowly misses live log output and samples (a marker ' +
        'line in the log and an engine.notice say so; job changes are never skipped) and is disconnected if it stops reading.',
      parameters: [
        {
          name: 'events',
          in: 'query',
          required: false,
          description: 'Only these events (comma-separated); all by default.',
          style: 'form',
          explode: false,
          schema: { type: 'array', items: { type: 'string', enum: eventNames } },
        },
      ],
      responses: {
        '200': { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...errorResponses([['400', 'an unknown event name'], ...Object.entries(ACCESS_RESPONSES)]),
      },
    },
  };
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } }, ...errorResponses(Object.entries(ACCESS_RESPONSES)) },
    },
  };
  paths[METRICS_PATH] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics (text exposition format)',
      responses: { '200': { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errorResponses(Object.entries(ACCESS_RESPONSES)) },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Procdeck HTTP API',
      version,
      description: `Every command of Procdeck's contract as POST ${API_BASE}/<command>, the events as server-sent events, and Prometheus metrics.`,
    },
    security: [{ bearerToken: [] }],
    paths,
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'The access token Procdeck printed at start (PROCDECK_TOKEN, or <data dir>/browser-url).' } },
      schemas,
    },
  };
}
