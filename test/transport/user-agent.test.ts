import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTransport } from '../../src/internal/transport';
import { SDK_VERSION, USER_AGENT } from '../../src/internal/version';
import {
  envelope,
  jssUrl,
  receive,
  startMockServer,
  transportOptions,
  type ReceivedRequest,
} from './msw-harness';

const server = startMockServer();

/** The headers of one GET sent with `headers` as the client's extra headers. */
async function sentHeaders(headers: Record<string, string> = {}): Promise<ReceivedRequest> {
  const received: ReceivedRequest[] = [];
  server.use(
    http.get(jssUrl('1.0/job/abc'), async ({ request }) => {
      received.push(await receive(request));
      return HttpResponse.json(envelope([]));
    }),
  );
  await createTransport(transportOptions({ headers })).request({
    method: 'GET',
    path: '1.0/job/abc',
    idempotent: true,
  });
  return received[0]!;
}

describe('the User-Agent on Node', () => {
  it('names the SDK and its version', async () => {
    const request = await sentHeaders();

    expect(request.headers['user-agent']).toBe(`job-status-client/${SDK_VERSION}`);
    expect(USER_AGENT).toMatch(/^job-status-client\/\d+\.\d+\.\d+(-[\w.]+)?$/);
  });

  it("gives way to the caller's own User-Agent, whatever its case", async () => {
    const request = await sentHeaders({ 'user-agent': 'nightly-import/3' });

    expect(request.headers['user-agent']).toBe('nightly-import/3');
  });
});
