import { Hono, type Context } from 'hono';
import { ApiError } from '../http/api-error';
import type { JssEnv } from '../http/env';
import { openEventStream } from '../events';
import { streamOwner } from '../http/stream-owner';
import { LIMITS } from '../limits';
import { unstorableStringReason } from '#protocol';
import type { SubscriptionScope } from '../store/subscription-reads';
import { requireJobId } from '../wire/job-id';
import type { RouteDeps } from './deps';

/** The most jobs one `?job_id=` subscription may follow. */
export const MAX_SUBSCRIBED_JOBS = LIMITS.subscribedJobsMax;

/** `Last-Event-ID` as a stamp; anything else is treated as no id (start afresh). */
function resumeAfter(c: Context<JssEnv>): number | undefined {
  const id = c.req.header('Last-Event-ID');
  return id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

function eventStream(c: Context<JssEnv>, deps: RouteDeps, scope: SubscriptionScope): Response {
  // Taken before anything is read; released when the stream ends, however it ends.
  const release = deps.streamCaps.acquire(streamOwner(c));
  const body = openEventStream({
    onClose: release,
    store: deps.store,
    hub: deps.hub,
    scope,
    principal: c.get('principal'),
    resumeAfter: resumeAfter(c),
    keepAliveMs: deps.keepAliveMs,
    onError: deps.reportError,
  });
  return c.body(body, 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    // Asks reverse proxies (nginx) not to buffer the stream.
    'X-Accel-Buffering': 'no',
  });
}

/** The two Server-Sent Events subscriptions. */
export function subscribeRoutes(deps: RouteDeps): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  app.get('/job/subscribe', (c) => {
    const jobIds = [...new Set(c.req.queries('job_id') ?? [])].map(requireJobId);
    if (jobIds.length === 0 || jobIds.length > MAX_SUBSCRIBED_JOBS) {
      throw new ApiError(
        400,
        'invalid_job_id',
        `Name 1..${MAX_SUBSCRIBED_JOBS} jobs with ?job_id=`,
      );
    }
    return eventStream(c, deps, { jobIds });
  });

  app.get('/job/subscribe/:user', (c) => {
    const user = c.req.param('user');
    if (user.length === 0) throw new ApiError(400, 'invalid_body', 'Name a user to follow');
    const reason = unstorableStringReason(user);
    if (reason) throw new ApiError(400, 'invalid_body', `The user to follow ${reason}`);
    return eventStream(c, deps, { user });
  });
  return app;
}
