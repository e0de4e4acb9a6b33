import { ModelError } from '#protocol';
import { invalidBody, jobNotFound } from '../service-error';
import { requireJobId } from '#protocol/job-id';
import { parsePaging, parseChangesParams } from '../store/paging';
import { listChanges, queryJobs, requireFilter } from '../store/queries';
import { parseLogBody, parseProgressBody } from '../store/report-bodies';
import { mayTouch, requireAccess, requireCreateAccess, requireVisibleParent } from './access';
import { envelope, oneJob, type Answer } from './answers';
import type { RouteContext } from './context';
import { runWrite } from './idempotency';
import { readJsonBody } from './request-body';

/** `POST 1.0/job/`: 201 with the new job, 200 with the job an equal request created. */
export async function createJob(context: RouteContext): Promise<Answer> {
  const body = await readJsonBody(context.request);
  requireCreateAccess(context.principal, body);
  requireVisibleParent(context.table, context.principal, body);
  return runWrite(context.table, { ...context, body }, () => {
    const { created, job } = context.table.create(body);
    return oneJob(job, created ? 201 : 200);
  });
}

/** `POST 1.0/job/batch`: every job in order, and whether this request created it. */
export async function createJobs(context: RouteContext): Promise<Answer> {
  const body = await readJsonBody(context.request);
  return runWrite(context.table, { ...context, body }, () => {
    const results = context.table.createMany(body);
    return {
      status: results.some((result) => result.created) ? 201 : 200,
      body: envelope(
        results.map((result) => result.job),
        {
          results: results.map((result) => ({
            job_id: result.job.job_id,
            created: result.created,
          })),
        },
      ),
    };
  });
}

/** `GET 1.0/job/{jobId}`. */
export function getJob(context: RouteContext, jobId: string): Answer {
  const id = requireJobId(jobId);
  requireAccess(context.table, context.principal, id, 'read');
  const stored = context.table.find(id);
  if (stored === undefined) throw jobNotFound();
  return oneJob(stored.doc);
}

/** `GET 1.0/job/{jobId}/status`: the short form. */
export function getJobStatus(context: RouteContext, jobId: string): Answer {
  const id = requireJobId(jobId);
  requireAccess(context.table, context.principal, id, 'read');
  const stored = context.table.find(id);
  if (stored === undefined) throw jobNotFound();
  const { job_id, status, current_stage, progress, modified } = stored.doc;
  return oneJob({
    job_id,
    status,
    current_stage: current_stage ?? null,
    progress: progress ?? null,
    modified,
  });
}

/** `PATCH 1.0/job/{jobId}`. */
export async function patchJob(context: RouteContext, jobId: string): Promise<Answer> {
  const id = requireJobId(jobId);
  const body = await readJsonBody(context.request);
  return runWrite(context.table, { ...context, body }, () => {
    requireAccess(context.table, context.principal, id, 'update');
    return oneJob(context.table.patch(id, body));
  });
}

/** `DELETE 1.0/job/{jobId}`: the job as it was. */
export function deleteJob(context: RouteContext, jobId: string): Answer {
  const id = requireJobId(jobId);
  return runWrite(context.table, { ...context, body: undefined }, () => {
    requireAccess(context.table, context.principal, id, 'delete');
    return oneJob(context.table.act(id, 'delete'));
  });
}

/** `POST 1.0/job/{jobId}/abort` and `/retry`, which take no body or `{}`. */
export async function actOnJob(
  context: RouteContext,
  jobId: string,
  action: 'abort' | 'retry',
): Promise<Answer> {
  const id = requireJobId(jobId);
  const body = await readJsonBody(context.request);
  const empty =
    body === undefined ||
    (typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      Object.keys(body).length === 0);
  if (!empty) throw invalidBody('This action takes no body, or {}');
  return runWrite(context.table, { ...context, body }, () => {
    requireAccess(context.table, context.principal, id, action);
    return oneJob(context.table.act(id, action));
  });
}

/** `POST 1.0/job/{jobId}/progress`. */
export async function reportProgress(context: RouteContext, jobId: string): Promise<Answer> {
  const id = requireJobId(jobId);
  const body = await readJsonBody(context.request);
  const progress = parseProgressBody(body);
  return runWrite(context.table, { ...context, body }, () => {
    requireAccess(context.table, context.principal, id, 'update');
    return oneJob(context.table.setProgress(id, progress));
  });
}

/** `POST 1.0/job/{jobId}/logs`. */
export async function appendLog(context: RouteContext, jobId: string): Promise<Answer> {
  const id = requireJobId(jobId);
  const body = await readJsonBody(context.request);
  const entry = parseLogBody(body);
  return runWrite(context.table, { ...context, body }, () => {
    requireAccess(context.table, context.principal, id, 'update');
    return oneJob(context.table.appendLog(id, entry));
  });
}

/** `POST 1.0/job/query?limit&offset&sort&cursor`. */
export async function queryRoute(context: RouteContext): Promise<Answer> {
  const page = parsePaging(context.url.searchParams);
  const filter = requireFilter(await readJsonBody(context.request));
  const result = queryJobs(context.table, filter, page, (job) =>
    mayTouch(context.table, context.principal, 'read', job),
  );
  const paging: Record<string, unknown> = {
    total_count: result.total,
    offset: result.offset,
    has_more: result.hasMore,
  };
  if (result.nextCursor !== undefined) paging.next_cursor = result.nextCursor;
  return { status: 200, body: envelope(result.jobs, paging) };
}

/** `POST 1.0/job/changes?since&limit&finished`. */
export async function changesRoute(context: RouteContext): Promise<Answer> {
  const request = parseChangesParams(context.url.searchParams);
  const filter = requireFilter(await readJsonBody(context.request));
  const result = listChanges(context.table, filter, request, (job) =>
    mayTouch(context.table, context.principal, 'read', job),
  );
  return {
    status: 200,
    body: envelope(result.jobs, { has_more: result.hasMore, stamp: result.stamp }),
  };
}

/** 404 `not_found` for a path or method the service does not have. */
export function noRoute(context: RouteContext): never {
  throw new ModelError(
    'not_found',
    `No route for ${context.request.method} ${context.url.pathname}`,
  );
}
