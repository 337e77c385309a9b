import type { IncomingMessage } from 'node:http';
import { MAX_MESSAGE_BYTES } from '../clientMessage';

/** The same cap as a WebSocket message: the largest legitimate request is a 1 MiB stdin write, escaped. */
export const MAX_BODY_BYTES = MAX_MESSAGE_BYTES;

export type BodyProblem = { status: 400 | 413 | 415; message: string };
export type BodyResult = { ok: true; value: unknown } | ({ ok: false } & BodyProblem);

const refuse = (status: BodyProblem['status'], message: string): BodyResult => ({ ok: false, status, message });

/**
 * Why a Content-Type is not JSON, or undefined when it is: `application/json`, with a charset
 * only if that charset is UTF-8 (JSON exchanged between systems is UTF-8, RFC 8259).
 */
export function contentTypeProblem(header: string | undefined): string | undefined {
  if (header === undefined) return 'send the body as JSON with "Content-Type: application/json"';
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return `the body must be JSON ("Content-Type: application/json"), not ${JSON.stringify(header.slice(0, 100))}`;
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"(.*)"$/, '$1');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `a JSON body must be UTF-8, not ${JSON.stringify(charset.slice(0, 40))}`;
  return undefined;
}

function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined || !/^\d+$/.test(header) ? undefined : Number(header);
}

/**
 * Reads a request's JSON body, at most `maxBytes` of it: a declared length beyond the cap is
 * refused before a byte is read, a streamed body as soon as it passes the cap (the rest is
 * not kept). An empty body is `{}`, so a command without arguments needs none. Every
 * problem is named: the content type, invalid UTF-8, the JSON parser's own complaint.
 */
export function readJsonBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  const typeProblem = request.headers['content-type'] === undefined ? undefined : contentTypeProblem(request.headers['content-type']);
  if (typeProblem) return Promise.resolve(refuse(415, typeProblem));
  const declared = declaredLength(request);
  const tooLarge = (bytes: number | string) => refuse(413, `the body (${bytes} bytes) is larger than the limit of ${maxBytes} bytes`);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve(tooLarge(declared));

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > maxBytes) settle(tooLarge(`more than ${maxBytes}`));
      else chunks.push(chunk);
    });
    request.on('error', () => settle(refuse(400, 'the request body could not be read')));
    request.on('end', () => {
      if (settled) return;
      if (received === 0) return settle({ ok: true, value: {} });
      if (request.headers['content-type'] === undefined) return settle(refuse(415, contentTypeProblem(undefined)!));
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        return settle(refuse(400, 'the body is not valid UTF-8'));
      }
      try {
        settle({ ok: true, value: JSON.parse(text) as unknown });
      } catch (error) {
        settle(refuse(400, `the body is not valid JSON: ${(error as Error).message}`));
      }
    });
  });
}
