// A minimal JSS stand-in for the per-call figures: node:http answering every `GET 1.0/job/{id}`
// with the same prepared envelope, so that what is measured is the client, not a server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A started canned server. */
export interface CannedServer {
  /** `http://127.0.0.1:PORT/jss/`. */
  baseURL: string;
  /** Requests answered so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Serves `body` (JSON) as the answer to every GET under `/jss/1.0/job/`; anything else is 404. */
export async function startCannedServer(body: unknown): Promise<CannedServer> {
  const payload = Buffer.from(JSON.stringify(body));
  let requests = 0;
  let requestId = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    if (request.method === 'GET' && request.url?.startsWith('/jss/1.0/job/')) {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': payload.byteLength,
        'X-Request-Id': `bench-${++requestId}`,
      });
      response.end(payload);
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end('{"response_type":"CLIENT_ERROR","error":"not found","code":"not_found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/jss/`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
