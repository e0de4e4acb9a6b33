import { Hono, type Context } from 'hono';
import type { JssEnv } from '../http/env';
import { bundleDashboard, type DashboardBundle, type UiFile } from '../ui/dashboard-bundle';

/**
 * The dashboard's policy: its own scripts and styles only (no inline script, no CDN), API calls
 * to this origin only, and no framing.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

// One bundle per process, shared by every server it starts; a failed build is tried again on
// the next request rather than remembered.
let bundling: Promise<DashboardBundle> | undefined;
function dashboard(): Promise<DashboardBundle> {
  bundling ??= bundleDashboard().catch((error: unknown) => {
    bundling = undefined;
    throw error;
  });
  return bundling;
}

function send(c: Context<JssEnv>, file: UiFile, cacheControl: string): Response {
  return c.body(file.body as string, 200, {
    ...SECURITY_HEADERS,
    'Content-Type': file.contentType,
    'Cache-Control': cacheControl,
  });
}

/**
 * The web dashboard (dashboard/) at `/`: the page is revalidated on every load, the files it
 * loads have content hashes in their names and are cached for a year.
 */
export function uiRoutes(): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  app.get('/', async (c) =>
    send(
      c,
      { contentType: 'text/html; charset=utf-8', body: (await dashboard()).page },
      'no-cache',
    ),
  );
  app.get('/assets/:name', async (c) => {
    const file = (await dashboard()).assets.get(c.req.param('name'));
    if (!file) return c.notFound();
    return send(c, file, 'public, max-age=31536000, immutable');
  });
  return app;
}
