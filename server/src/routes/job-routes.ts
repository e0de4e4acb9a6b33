import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { batchItemMessage, batchItems, createRefusal, repeatedBatchJobId } from '#protocol';
import { ApiError, badBody, notFound } from '../http/api-error';
import { withApiErrors } from '../wire/model-errors';
import { readJsonBody } from '../http/body';
import { envelope } from '../http/envelope';
import type { JssEnv } from '../http/env';
import { idempotencyRequest } from '../http/idempotency';
import {
  abortJob,
  appendLog,
  createJob,
  createJobAlone,
  createJobs,
  deleteJob,
  patchJob,
  retryJob,
  setProgress,
} from '../store/jobs';
import { toStatusSummary, toWireJob, type JobRow } from '../store/job-row';
import { checkParents, withReferences } from '../store/references';
import { forbidden, loadJobFor } from '../store/scope-sql';
import { runWrite, type WriteAnswer, type WriteTx } from '../store/write';
import { parseCreateBody, type NewJob } from '../wire/create-body';
import { requireJobId } from '../wire/job-id';
import { parsePatchBody } from '../wire/patch-body';
import { isTerminalStatus as isTerminal } from '#protocol';
import { parseLogBody, parseProgressBody } from '../wire/report-bodies';
import type { RouteDeps } from './deps';

const one = (row: JobRow, status = 200): WriteAnswer => ({
  status,
  body: envelope([toWireJob(row)]),
});

/**
 * Runs a write (with `Idempotency-Key` replay when the header is there) and sends its answer.
 * Callers validate the body before this opens the transaction.
 */
async function answerWrite(
  c: Context<JssEnv>,
  deps: RouteDeps,
  body: unknown,
  operation: (tx: WriteTx) => Promise<WriteAnswer>,
): Promise<Response> {
  const answer = await runWrite(deps.store, idempotencyRequest(c, body), operation);
  const headers: Record<string, string> = answer.replayed ? { 'Idempotent-Replayed': 'true' } : {};
  return c.json(answer.body as object, answer.status as ContentfulStatusCode, headers);
}

const jobIdParam = (c: Context<JssEnv>) => requireJobId(c.req.param('jobId'));

/** Reads that name one job, and every write on jobs. */
export function jobRoutes(deps: RouteDeps): Hono<JssEnv> {
  const app = new Hono<JssEnv>();
  app.post('/job/', async (c) => {
    const principal = c.get('principal');
    const body = await readJsonBody(c);
    const job = parseCreateBody(body);
    const refusal = createRefusal(principal, job.user);
    if (refusal) throw forbidden(refusal);
    const idempotency = idempotencyRequest(c, body);
    if (!idempotency && !isTerminal(job.status) && job.depends_on === null) {
      await checkParents(deps.store.db, [job], principal);
      const { created, row } = await createJobAlone(deps.store, job);
      return c.json(one(row, created ? 201 : 200).body as object, created ? 201 : 200);
    }
    return answerWrite(c, deps, body, async (tx) => {
      const [checked] = await withReferences(tx.sql, [job], principal);
      const { created, row } = await createJob(tx, checked!);
      return one(row, created ? 201 : 200);
    });
  });

  app.post('/job/batch', async (c) => {
    const principal = c.get('principal');
    const body = await readJsonBody(c);
    const jobs = parseBatchBody(body);
    jobs.forEach((job, index) => {
      const refusal = createRefusal(principal, job.user);
      if (refusal) throw forbidden(`jobs[${index}]: ${refusal}`);
    });
    return answerWrite(c, deps, body, async (tx) => {
      const checked = await withReferences(tx.sql, jobs, principal, (index) => ` (jobs[${index}])`);
      const results = await createJobs(tx, checked);
      return {
        status: results.some((result) => result.created) ? 201 : 200,
        body: envelope(
          results.map((result) => toWireJob(result.row)),
          {
            results: results.map((result) => ({
              job_id: result.row.job_id,
              created: result.created,
            })),
          },
        ),
      };
    });
  });

  app.get('/job/:jobId', async (c) => {
    const row = await loadJobFor(deps.store.db, jobIdParam(c), c.get('principal'));
    if (!row) throw notFound();
    return c.json(envelope([toWireJob(row)]));
  });

  app.get('/job/:jobId/status', async (c) => {
    const row = await loadJobFor(deps.store.db, jobIdParam(c), c.get('principal'));
    if (!row) throw notFound();
    return c.json(envelope([toStatusSummary(row)]));
  });

  app.patch('/job/:jobId', async (c) => {
    const jobId = jobIdParam(c);
    const body = await readJsonBody(c);
    const patch = parsePatchBody(body);
    return answerWrite(c, deps, body, async (tx) =>
      one(await patchJob(tx, jobId, patch, c.get('principal'))),
    );
  });

  app.delete('/job/:jobId', async (c) => {
    const jobId = jobIdParam(c);
    return answerWrite(c, deps, undefined, async (tx) =>
      one(await deleteJob(tx, jobId, c.get('principal'))),
    );
  });

  app.post('/job/:jobId/abort', async (c) => {
    const jobId = jobIdParam(c);
    const body = await readActionBody(c);
    return answerWrite(c, deps, body, async (tx) =>
      one(await abortJob(tx, jobId, c.get('principal'))),
    );
  });

  app.post('/job/:jobId/retry', async (c) => {
    const jobId = jobIdParam(c);
    const body = await readActionBody(c);
    return answerWrite(c, deps, body, async (tx) =>
      one(await retryJob(tx, jobId, c.get('principal'))),
    );
  });

  app.post('/job/:jobId/progress', async (c) => {
    const jobId = jobIdParam(c);
    const body = await readJsonBody(c);
    const progress = parseProgressBody(body);
    return answerWrite(c, deps, body, async (tx) =>
      one(await setProgress(tx, jobId, progress, c.get('principal'))),
    );
  });

  app.post('/job/:jobId/logs', async (c) => {
    const jobId = jobIdParam(c);
    const body = await readJsonBody(c);
    const entry = parseLogBody(body);
    return answerWrite(c, deps, body, async (tx) =>
      one(await appendLog(tx, jobId, entry, c.get('principal'))),
    );
  });
  return app;
}

/**
 * The body of `POST 1.0/job/batch`, by the shared rule (`batchItems`): each item checked as
 * `POST 1.0/job/` checks its own; the first refusal names its item (`jobs[3].user`) and nothing
 * is created.
 */
function parseBatchBody(body: unknown): NewJob[] {
  const items = withApiErrors(() => batchItems(body));
  const seen = new Set<string>();
  return items.map((item, index) => {
    let job: NewJob;
    try {
      job = parseCreateBody(item);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(error.status, error.code, batchItemMessage(error.message, index));
    }
    if (seen.has(job.job_id)) withApiErrors(() => repeatedBatchJobId(job.job_id, index));
    seen.add(job.job_id);
    return job;
  });
}

/** Abort and retry take no body, or `{}`. */
async function readActionBody(c: Context<JssEnv>): Promise<unknown> {
  const body = await readJsonBody(c);
  if (
    body !== undefined &&
    (typeof body !== 'object' || body === null || Object.keys(body).length > 0)
  ) {
    throw badBody('This action takes no body, or {}');
  }
  return body;
}
