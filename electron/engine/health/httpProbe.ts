import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { abortMessage, excerpt, type ProbeAttempt, type ProbeRunner } from './probeAttempt';
import { MAX_BODY_BYTES, MAX_REDIRECTS, type HttpCheck } from './probeSpec';
import { describeNetworkError } from './networkErrors';

/** GET the check's URL: success is a status in range and, if asked, a body that matches. */
export function createHttpProbe(check: HttpCheck): ProbeRunner {
  return {
    description: `GET ${check.url.href}`,
    attempt: (signal) => probeUrl(check, check.url, signal, 0),
    dispose: () => undefined,
  };
}

async function probeUrl(check: HttpCheck, url: URL, signal: AbortSignal, redirects: number): Promise<ProbeAttempt> {
  const answer = await get(check, url, signal);
  if ('failure' in answer) return { ok: false, message: answer.failure };
  const { status, location, body } = answer;
  const via = redirects > 0 ? ` (after ${redirects} redirect${redirects > 1 ? 's' : ''}, from ${url.href})` : '';
  if (check.followRedirects && status >= 300 && status < 400 && location !== undefined) {
    if (redirects >= MAX_REDIRECTS) return { ok: false, message: `redirected more than ${MAX_REDIRECTS} times${via}` };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { ok: false, message: `returned ${status} with a Location that is not a URL: ${excerpt(location, 100)}` };
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return { ok: false, message: `returned ${status}, redirecting to ${next.protocol} (not followed)` };
    return probeUrl(check, next, signal, redirects + 1);
  }
  if (status < check.statusMin || status > check.statusMax) return { ok: false, message: `returned ${status}${via}` };
  if (check.body && body !== undefined) {
    const text = body.toString('utf8');
    const matched = check.body.kind === 'contains' ? text.includes(check.body.text) : check.body.regex.test(text);
    if (!matched) {
      const wanted = check.body.kind === 'contains' ? `does not contain ${JSON.stringify(check.body.text)}` : `does not match ${String(check.body.regex)}`;
      return { ok: false, message: `returned ${status} but its body ${wanted}${body.length >= MAX_BODY_BYTES ? ` (first ${MAX_BODY_BYTES / 1024} KiB read)` : ''}${via}` };
    }
  }
  return { ok: true, message: `returned ${status}${via}` };
}

type Answer = { status: number; location?: string; body?: Buffer } | { failure: string };

/**
 * One GET on its own connection (agent: false, Connection: close): a probe must see whether the
 * service still accepts connections, which a kept-alive socket would hide. The body is read
 * only when it is to be matched, and at most MAX_BODY_BYTES of it; then the socket is destroyed.
 */
function get(check: HttpCheck, url: URL, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ failure: abortMessage(signal) });
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'procdeck-probe', accept: '*/*', ...check.headers, connection: 'close' },
    });
    let outcome: Answer | undefined;
    // Settled on 'close', not at the verdict: the socket's descriptor is gone by then.
    request.once('close', () => resolve(outcome ?? { failure: 'connection closed' }));
    const finish = (answer: Answer) => {
      if (outcome) return;
      outcome = answer;
      signal.removeEventListener('abort', onAbort);
      request.destroy();
    };
    const onAbort = () => finish({ failure: abortMessage(signal) });
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => finish({ failure: describeNetworkError(error) }));
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
      response.on('error', (error) => finish({ failure: describeNetworkError(error) }));
      if (!check.body || (check.followRedirects && status >= 300 && status < 400 && location !== undefined)) {
        finish({ status, location });
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - length;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        length += Math.min(chunk.length, room);
        if (length >= MAX_BODY_BYTES) finish({ status, location, body: Buffer.concat(chunks) });
      });
      // Only a whole body (or its first MAX_BODY_BYTES) is judged: one cut off mid-way fails as
      // "connection closed" (a truncated answer is no sign of health).
      response.on('end', () => finish({ status, location, body: Buffer.concat(chunks) }));
    });
    request.end();
  });
}
