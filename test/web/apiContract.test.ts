import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands, type CommandName } from '../../shared/contract';
import { errorEnvelopeSchema, requestSchemaName, responseSchemaName } from '../../electron/web/api/openApiDocument';
import { closeEngines, openEngine } from '../engine/helpers';
import { ApiFixture, EXAMPLES } from './apiExamples';
import { apiPost, bearer, httpCall } from './apiHelpers';
import { closeHosts, removeFakeRenderers, startTestHost, TEST_TOKEN } from './helpers';

/**
 * Every command of the contract over HTTP, against a real engine with real jobs: the
 * OpenAPI document the server publishes is checked against what the server does. A request
 * the document accepts, the server carries out, and its answer fits both the contract's
 * response schema and the document's; a request the document refuses, the server refuses.
 */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> } }>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string; scheme: string }> };
  security: Record<string, string[]>[];
}

let port: number;
let fixture: ApiFixture;
let document: OpenApiDocument;
// An independent validator of JSON Schema 2020-12 (the dialect of OpenAPI 3.1), strict about unknown keywords.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validators = new Map<string, ValidateFunction>();

function validatorOf(schemaName: string): ValidateFunction {
  let validate = validators.get(schemaName);
  if (!validate) {
    const schema = document.components.schemas[schemaName];
    if (!schema) throw new Error(`the OpenAPI document has no schema ${schemaName}`);
    validate = ajv.compile(schema);
    validators.set(schemaName, validate);
  }
  return validate;
}

/** Undefined when the document's schema accepts the value, else what it objects to. */
function documentRefuses(schemaName: string, value: unknown): string | undefined {
  const validate = validatorOf(schemaName);
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

beforeAll(async () => {
  // Every example starts jobs of its own: room for all of them to run at once.
  // Rotation hands the same token out again here, so the examples after it still get in (the
  // real rotation and what it disconnects are tested in tokenRotation.test.ts).
  const { host } = await startTestHost({ engine: openEngine({ settings: { maxConcurrent: 256 } }), rotateToken: () => ({ token: TEST_TOKEN }) });
  port = host.port;
  fixture = new ApiFixture(port);
  const served = await httpCall(port, { method: 'GET', path: '/api/v1/openapi.json', headers: bearer() });
  expect(served.status).toBe(200);
  document = JSON.parse(served.text) as OpenApiDocument;
});

afterAll(async () => {
  fixture.dispose();
  await closeHosts();
  await closeEngines();
  removeFakeRenderers();
});

const names = Object.keys(commands) as CommandName[];

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer authentication, one POST path per contract command, and every $ref resolvable', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.security).toEqual([{ bearerToken: [] }]);
    expect(document.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const commandPaths = Object.keys(document.paths).filter((path) => document.paths[path]!.post);
    expect(commandPaths.sort()).toEqual(names.map((name) => `/api/v1/${name}`).sort());
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(names.length * 2);
    for (const ref of new Set(refs)) {
      const target = /#\/components\/schemas\/(.+)"$/.exec(ref)?.[1];
      expect(target && document.components.schemas[target], ref).toBeTruthy();
    }
    for (const name of names) {
      const operation = document.paths[`/api/v1/${name}`]!.post!;
      expect(operation.requestBody.content['application/json']!.schema.$ref).toBe(`#/components/schemas/${requestSchemaName(name)}`);
      expect(operation.responses['200']!.content!['application/json']!.schema.$ref).toBe(`#/components/schemas/${responseSchemaName(name)}`);
      // Each error status of the table, and the access refusals, answer with the error envelope.
      for (const status of ['400', '401', '403', '404', '409', '415', '422', '500', '501']) {
        expect(operation.responses[status]?.content?.['application/json']?.schema.$ref, `${name} ${status}`).toBe('#/components/schemas/Error');
      }
    }
  });

  it('is refused without the bearer token', async () => {
    expect((await httpCall(port, { method: 'GET', path: '/api/v1/openapi.json' })).status).toBe(401);
  });

  it('has an example for every command here, so a new command cannot go untested', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual([...names].sort());
  });
});

describe.each(names)('POST /api/v1/%s', (name) => {
  it('a valid request: the document accepts it, the server carries it out, the answer fits the contract and the document', async () => {
    const request = await EXAMPLES[name].valid(fixture);
    expect(documentRefuses(requestSchemaName(name), request), 'the document refuses the valid example').toBeUndefined();
    const response = await apiPost(port, name, request);
    expect(response.status, response.text.slice(0, 500)).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const answer: unknown = JSON.parse(response.text);
    const parsed = commands[name].response.safeParse(answer);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(documentRefuses(responseSchemaName(name), answer), 'the document refuses the answer').toBeUndefined();
  });

  it('an invalid request: the document refuses it, and so does the server, with the error envelope (400 INVALID_REQUEST)', async () => {
    const request = EXAMPLES[name].invalid;
    expect(documentRefuses(requestSchemaName(name), request), 'the document accepts the invalid example').toBeDefined();
    const response = await apiPost(port, name, request);
    expect(response.status, response.text).toBe(400);
    const envelope: unknown = JSON.parse(response.text);
    expect(documentRefuses('Error', envelope)).toBeUndefined();
    const { error } = errorEnvelopeSchema.parse(envelope);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message.length).toBeGreaterThan(0);
  });
});
