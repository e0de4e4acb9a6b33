import { envelope, type Answer } from './answers';
import type { RouteContext } from './context';
import {
  actOnJob,
  appendLog,
  changesRoute,
  createJob,
  createJobs,
  deleteJob,
  getJob,
  getJobStatus,
  noRoute,
  patchJob,
  queryRoute,
  reportProgress,
} from './job-routes';
import { subscribeJobs, subscribeUser } from './stream-routes';
import { claimRoute, completeJobsRoute, workerReport } from './work-routes';

/** A path segment decoded; one that is not valid percent-encoding is kept as it is. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Routes under `1.0/job/` that do not name a job, by `METHOD segment`. */
function collectionRoute(
  context: RouteContext,
  tail: string[],
): Promise<Answer> | Response | undefined {
  const [first, second] = tail;
  const method = context.request.method;
  if (tail.length === 1 && first === '' && method === 'POST') return createJob(context);
  if (tail.length === 1 && first === 'batch' && method === 'POST') return createJobs(context);
  if (tail.length === 1 && first === 'query' && method === 'POST') return queryRoute(context);
  if (tail.length === 1 && first === 'changes' && method === 'POST') return changesRoute(context);
  if (tail.length === 1 && first === 'claim' && method === 'POST') return claimRoute(context);
  if (tail.length === 1 && first === 'complete' && method === 'POST') {
    return completeJobsRoute(context);
  }
  // The subscription routes come first: `GET 1.0/job/subscribe/x` is not job "subscribe".
  if (first === 'subscribe' && method === 'GET') {
    if (tail.length === 1) return subscribeJobs(context);
    if (tail.length === 2 && second !== undefined) return subscribeUser(context, second);
  }
  return undefined;
}

/** Routes that name one job: `1.0/job/{jobId}` and `1.0/job/{jobId}/{action}`. */
async function jobRoute(context: RouteContext, tail: string[]): Promise<Answer> {
  const [jobId = '', action] = tail;
  const method = context.request.method;
  if (jobId === '' || tail.length > 2) return noRoute(context);
  if (action === undefined) {
    if (method === 'GET') return getJob(context, jobId);
    if (method === 'PATCH') return patchJob(context, jobId);
    if (method === 'DELETE') return deleteJob(context, jobId);
  } else if (action === 'status' && method === 'GET') {
    return getJobStatus(context, jobId);
  } else if (method === 'POST') {
    if (action === 'abort' || action === 'retry') return actOnJob(context, jobId, action);
    if (action === 'progress') return reportProgress(context, jobId);
    if (action === 'logs') return appendLog(context, jobId);
    if (action === 'heartbeat' || action === 'complete' || action === 'fail') {
      return workerReport(context, jobId, action);
    }
  }
  return noRoute(context);
}

/**
 * Answers one request under the base URL (`path` is the rest of its path, still
 * percent-encoded): a JSON answer, or a Response for an event stream.
 *
 * @throws ModelError or ServiceError for a request the service refuses
 */
export async function route(context: RouteContext, path: string): Promise<Answer | Response> {
  const segments = path.split('/').map(decodeSegment);
  if (path === 'health' && context.request.method === 'GET') {
    return { status: 200, body: { status: 'ok' } };
  }
  const [version, resource, ...tail] = segments;
  if (version === '1.0' && resource === 'auth' && tail.join('/') === 'me') {
    if (context.request.method !== 'GET') return noRoute(context);
    const { user, role, services } = context.principal;
    return { status: 200, body: envelope([{ user, role, services }]) };
  }
  if (version !== '1.0' || resource !== 'job' || tail.length === 0) return noRoute(context);
  return (await collectionRoute(context, tail)) ?? jobRoute(context, tail);
}
