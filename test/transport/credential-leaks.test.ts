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

describe('fields other than the message', () => {
  it('never shows a token the server echoes as request id, in the body or the header', async () => {
    const answers: Answer[] = [
      () =>
        HttpResponse.json(
          { response_type: 'SERVER_ERROR', error: 'down', request_id: `req-${TOKEN}` },
          { status: 503 },
        ),
      () =>
        HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'no', code: `bad_${TOKEN}` },
          { status: 400, headers: { 'X-Request-Id': TOKEN } },
        ),
    ];
    for (const answer of answers) {
      const { error, outputs } = await failWithEverythingRecorded(answer, TOKEN);

      expect((error as { requestId?: string }).requestId ?? '').not.toContain(TOKEN);
      for (const [channel, text] of Object.entries(channelsOf(error))) {
        expect(text, `the token in ${channel}`).not.toContain(TOKEN);
      }
      for (const output of outputs) expect(output).not.toContain(TOKEN);
    }
  });

  it('keeps the request id readable when it holds no secret', async () => {
    const { error } = await failWithEverythingRecorded(
      () =>
        HttpResponse.json(
          { response_type: 'CLIENT_ERROR', error: 'no', request_id: 'req-42' },
          { status: 400 },
        ),
      TOKEN,
    );

    expect(error).toMatchObject({ requestId: 'req-42' });
  });
});

describe('a token provider that throws with the token in its message', () => {
  // The provider never handed this token to the SDK: no literal match could catch it.
  const unseen = 'UNSEEN-REFRESH-TOKEN-5150';
  const failing = () => Promise.reject(new Error(`refresh of ${unseen} failed`));

  it('copies it into neither the error, the logger nor the hooks', async () => {
    const { error, outputs, received } = await failWithEverythingRecorded(
      () => HttpResponse.json({}),
      failing,
    );

    expect(received).toEqual([]);
    expect(error).toMatchObject({ code: 'token_provider_failed' });
    for (const [channel, text] of Object.entries(channelsOf(error))) {
      expect(text, `the token in ${channel}`).not.toContain(unseen);
    }
    for (const output of outputs) expect(output).not.toContain(unseen);
  });

  it('never shows a token it gave on an earlier call and echoes when it fails later', async () => {
    let calls = 0;
    const token = async () => {
      calls += 1;
      if (calls === 1) return TOKEN;
      throw Object.assign(new Error(`cannot refresh ${TOKEN}`), { code: TOKEN });
    };
    server.use(http.get(jssUrl('1.0/job/abc'), () => HttpResponse.json(null, { status: 200 })));
    const transport = createTransport(transportOptions({ token, maxRetries: 0 }));
    const request = { method: 'GET', path: '1.0/job/abc', idempotent: true } as const;
    await transport.request(request);

    const error = await rejectionOf(transport.request(request));

    expect(error).toMatchObject({ code: 'token_provider_failed' });
    for (const [channel, text] of Object.entries(channelsOf(error))) {
      expect(text, `the token in ${channel}`).not.toContain(TOKEN);
    }
  });
});
