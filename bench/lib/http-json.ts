// The server section's load generator: bare node:http over keep-alive connections, so that the
// figures are the server's and not a client library's.
import { Agent, request } from 'node:http';

/** A JSON answer: status and parsed body. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** Sends JSON requests to one server over at most `sockets` keep-alive connections. */
export class JsonRequester {
  readonly #agent: Agent;

  /** With a `token`, requests carry it as a bearer token as well as `X-User-Id`. */
  constructor(
    readonly user: string,
    sockets: number,
    readonly token?: string,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** Sends `body` (if any) as JSON; resolves with the answer whatever its status. */
  send(method: string, url: string, body?: unknown): Promise<JsonAnswer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {
      Accept: 'application/json',
      'X-User-Id': this.user,
    };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.byteLength;
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { method, headers, agent: this.#agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: incoming.statusCode ?? 0,
              body: text === '' ? undefined : JSON.parse(text),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /** Like {@link send}, but a status other than `expected` is an error. */
  async expect(expected: number, method: string, url: string, body?: unknown): Promise<unknown> {
    const answer = await this.send(method, url, body);
    if (answer.status !== expected) {
      throw new Error(
        `${method} ${url}: expected ${expected}, received ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body;
  }

  close(): void {
    this.#agent.destroy();
  }
}
