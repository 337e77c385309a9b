import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';

export interface LoopbackHttpServer {
  port: number;
  url: string;
  /** Requests answered or in progress since the start. */
  requests: number;
  /** Most requests that were in progress at the same time. */
  mostConcurrent: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose handler the test changes as it goes. */
export async function startHttpServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<LoopbackHttpServer> {
  let inProgress = 0;
  const state = { requests: 0, mostConcurrent: 0 };
  const server: Server = createServer((request, response) => {
    state.requests += 1;
    inProgress += 1;
    state.mostConcurrent = Math.max(state.mostConcurrent, inProgress);
    response.once('close', () => (inProgress -= 1));
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    get requests() {
      return state.requests;
    },
    get mostConcurrent() {
      return state.mostConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startTcpServer(): Promise<{ port: number; accepted: () => number; close(): Promise<void> }> {
  let accepted = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once to learn a free number, then closed. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
