import { HttpResponse } from 'msw';
import { invalidBody } from '../service-error';
import { ModelError } from '#protocol';
import { requireJobId } from '#protocol/job-id';
import type { StreamScope } from '../store/queries';
import type { RouteContext } from './context';
import { openEventStream } from './event-stream';

/** The most jobs one `?job_id=` subscription may follow. */
export const MAX_SUBSCRIBED_JOBS = 1000;

/** `Last-Event-ID` as a stamp; anything else means no id (the stream starts afresh). */
function resumeAfter(request: Request): number | undefined {
  const id = request.headers.get('Last-Event-ID');
  return id !== null && /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

function eventStream(context: RouteContext, scope: StreamScope): Response {
  const { table, request, requestId, principal } = context;
  const stream = openEventStream(table, scope, principal, resumeAfter(request), request.signal);
  return new HttpResponse(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Request-Id': requestId,
    },
  });
}

/** `GET 1.0/job/subscribe/{user}`: every job of one user. */
export function subscribeUser(context: RouteContext, user: string): Response {
  if (user === '') throw invalidBody('Name a user to follow');
  return eventStream(context, { user });
}

/** `GET 1.0/job/subscribe?job_id=a&job_id=b`: the listed jobs, whoever owns them. */
export function subscribeJobs(context: RouteContext): Response {
  const jobIds = [...new Set(context.url.searchParams.getAll('job_id'))].map(requireJobId);
  if (jobIds.length === 0 || jobIds.length > MAX_SUBSCRIBED_JOBS) {
    throw new ModelError('invalid_job_id', `Name 1..${MAX_SUBSCRIBED_JOBS} jobs with ?job_id=`);
  }
  return eventStream(context, { jobIds });
}
