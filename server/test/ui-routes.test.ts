import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index';
import { parseCommandLine } from '../src/cli-options';
import { useTestDatabase } from './support/harness';

const database = useTestDatabase();
let server: RunningServer;
let origin: string;
let page: Response;
let pageText: string;
beforeAll(async () => {
  server = await database.server();
  origin = new URL(server.url).origin;
  page = await fetch(`${origin}/`);
  pageText = await page.text();
});

/** The hashed files the page names, in the order it names them. */
const assetsOf = (html: string) => [...html.matchAll(/"\/assets\/([^"]+)"/g)].map((m) => m[1]!);

describe('the dashboard page at /', () => {
  it('is HTML that loads one module script and one style sheet from /assets/', () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(assetsOf(pageText)).toEqual([
      expect.stringMatching(/^styles-\w+\.css$/),
      expect.stringMatching(/^main-\w+\.js$/),
    ]);
  });

  it('carries no inline script', () => {
    expect(pageText).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('is sent with a strict Content-Security-Policy', () => {
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(policy).not.toContain('unsafe');
  });

  it('is sent with nosniff and revalidated on every load', () => {
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });
});

describe('the dashboard assets', () => {
  it('are served with their content type, nosniff, and cached for good (their names change)', async () => {
    const [style, script] = assetsOf(pageText);
    const answers = await Promise.all(
      [style, script].map((name) => fetch(`${origin}/assets/${name}`)),
    );
    expect(
      answers.map((answer) => [
        answer.status,
        answer.headers.get('content-type'),
        answer.headers.get('x-content-type-options'),
        answer.headers.get('cache-control'),
      ]),
    ).toEqual([
      [200, 'text/css; charset=utf-8', 'nosniff', 'public, max-age=31536000, immutable'],
      [200, 'text/javascript; charset=utf-8', 'nosniff', 'public, max-age=31536000, immutable'],
    ]);
  });

  it('load their chunks by relative imports that the server also serves', async () => {
    const [, script] = assetsOf(pageText);
    const main = await (await fetch(`${origin}/assets/${script}`)).text();
    const chunks = [...main.matchAll(/"\.\/(chunk-\w+\.js)"/g)].map((m) => m[1]!);
    expect(chunks.length).toBeGreaterThan(0);
    const statuses = await Promise.all(
      chunks.map(async (chunk) => (await fetch(`${origin}/assets/${chunk}`)).status),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it('answer 404 for a name that is not one of them', async () => {
    const answer = await fetch(`${origin}/assets/..%2Fpackage.json`);
    expect(answer.status).toBe(404);
  });
});

describe('turning the dashboard off', () => {
  it('leaves / unserved with ui: false', async () => {
    const quiet = await database.server({ ui: false });
    const answer = await fetch(`${new URL(quiet.url).origin}/`);
    expect(answer.status).toBe(404);
  });

  it('is what --no-ui asks for; it is on without the flag', () => {
    expect(parseCommandLine(['--no-ui'])?.ui).toBe(false);
    expect(parseCommandLine([])?.ui).toBe(true);
  });
});
