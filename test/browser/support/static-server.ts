import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One file the static server answers with. */
export interface StaticFile {
  contentType: string;
  body: string | Buffer;
}

/** A running static file server. */
export interface StaticServer {
  /** `http://127.0.0.1:PORT`, a different origin from the JSS server's, so CORS is exercised. */
  origin: string;
  /** The path of every request so far, in order (404s too). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves a fixed map of paths (`/global.html`) to files from memory; anything else is a 404. */
export async function startStaticServer(files: Record<string, StaticFile>): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const file = files[path];
    if (!file || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response
      .writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' })
      .end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
