import { connect } from 'node:net';
import { abortMessage, type ProbeRunner } from './probeAttempt';
import type { TcpCheck } from './probeSpec';
import { describeNetworkError } from './networkErrors';

/** HOST:PORT as written, with an IPv6 address in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Connect and close at once: success is the kernel accepting the connection. Nothing is sent. */
export function createTcpProbe(check: TcpCheck): ProbeRunner {
  return {
    description: `tcp ${formatHostPort(check.host, check.port)}`,
    attempt: (signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve({ ok: false, message: abortMessage(signal) });
        const socket = connect({ host: check.host, port: check.port });
        let outcome: { ok: boolean; message: string } | undefined;
        // Settled on 'close', not at the verdict: the socket's descriptor is gone by then.
        socket.once('close', () => resolve(outcome ?? { ok: false, message: 'connection closed' }));
        const finish = (ok: boolean, message: string) => {
          if (outcome) return;
          outcome = { ok, message };
          signal.removeEventListener('abort', onAbort);
          socket.destroy();
        };
        const onAbort = () => finish(false, abortMessage(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('connect', () => finish(true, 'connected'));
        socket.on('error', (error) => finish(false, describeNetworkError(error)));
      }),
    dispose: () => undefined,
  };
}
