import { inspect } from 'node:util';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { NormalizedTransportOptions } from '../../src/internal/transport';
import { createTransport } from '../../src/internal/transport';
import type { ReceivedRequest } from './msw-harness';
import { jssUrl, receive, rejectionOf, startMockServer, transportOptions } from './msw-harness';

const server = startMockServer();

const TOKEN = 'SENTINEL-TOKEN-123';
const COOKIE = 'session=SENTINEL-COOKIE-456';
const SET_COOKIE = 'session=SENTINEL-SET-COOKIE-789; Path=/';
const SENTINELS = ['SENTINEL-TOKEN-123', 'SENTINEL-COOKIE-456', 'SENTINEL-SET-COOKIE-789'];

type Answer = () => Promise<Response> | Response;

// Hostile servers echo what they were sent; the SDK must scrub it all the same.
const failures: Array<[string, Answer]> = [
  [
    '401',
    () =>
      HttpResponse.json(
        { response_type: 'CLIENT_ERROR', error: `token ${TOKEN} refused`, code: 'unauthorized' },
        { status: 401 },
      ),
  ],
  [
    '500',
    () =>
      HttpResponse.json(
        {
          response_type: 'SERVER_ERROR',
          error: `crashed on Authorization: Bearer ${TOKEN}; ${COOKIE}`,
        },
        { status: 500, headers: { 'Set-Cookie': SET_COOKIE } },
      ),
  ],
  ['a network error', () => HttpResponse.error()],
  [
    'a timeout',
    async () => {
      await delay('infinite');
      return HttpResponse.json({});
    },
  ],
];

/** Runs one failing call with every output channel recorded. */
async function failWithEverythingRecorded(
  answer: Answer,
  token: NormalizedTransportOptions['token'],
): Promise<{ error: unknown; outputs: string[]; received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = [];
  server.use(
    http.get(jssUrl('1.0/job/abc'), async ({ request }) => {
      received.push(await receive(request));
      return answer();
    }),
  );
  const outputs: string[] = [];
  const record = (...args: unknown[]) => outputs.push(inspect(args, { depth: 10 }));

  const error = await rejectionOf(
    createTransport(
      transportOptions({
        token,
        headers: { Cookie: COOKIE },
        timeout: 30,
        maxRetries: 1,
        logger: { debug: record, info: record, warn: record, error: record },
        logLevel: 'debug',
        hooks: { onAttempt: record, onRetry: record },
      }),
    ).request({ method: 'GET', path: '1.0/job/abc', idempotent: true }),
  );
  return { error, outputs, received };
}

function channelsOf(error: unknown): Record<string, string> {
  const { message, stack } = error as Error;
  return {
    message,
    stack: stack ?? '',
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 10 }),
  };
}

describe.each([
  ['a fixed token', TOKEN as NormalizedTransportOptions['token']],
  ['a token provider', (async () => TOKEN) as NormalizedTransportOptions['token']],
])('with %s', (_label, token) => {
  it.each(failures)('never shows the credentials after %s', async (_failure, answer) => {
    const { error, outputs, received } = await failWithEverythingRecorded(answer, token);

    // The credentials were really sent, so their absence below means something.
    expect(received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // msw keeps cookies that a response set, so the header may hold more than ours.
    expect(received[0]?.headers.cookie).toContain(COOKIE);
    expect(outputs.length).toBeGreaterThanOrEqual(2);
    for (const [channel, text] of Object.entries(channelsOf(error))) {
      for (const sentinel of SENTINELS) {
        expect(text, `${sentinel} in ${channel}`).not.toContain(sentinel);
      }
    }
    for (const output of outputs) {
      for (const sentinel of SENTINELS) expect(output).not.toContain(sentinel);
    }
  });
});
