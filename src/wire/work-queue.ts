import { toSnakeKey } from './casing';
import { keepKey, mapKeysDeep } from './deep-keys';
import type { WireOptions } from './options';

// The bodies of the work queue's endpoints (docs/protocol.md, "Work queue"). A job's result and a
// failure's details are the worker's own data: their keys travel like service fields' keys.

const dataKeys = (options: WireOptions) =>
  options.serviceFieldKeys === 'verbatim' ? keepKey : toSnakeKey;

/** The body of `POST 1.0/job/claim`. */
export function encodeClaimBody(claim: {
  service: string | string[];
  limit?: number | undefined;
  leaseMs?: number | undefined;
  workerId: string;
  waitMs?: number | undefined;
}): Record<string, unknown> {
  const body: Record<string, unknown> = { service: claim.service };
  if (claim.limit !== undefined) body.limit = claim.limit;
  if (claim.leaseMs !== undefined) body.lease_ms = claim.leaseMs;
  body.worker_id = claim.workerId;
  if (claim.waitMs !== undefined) body.wait_ms = claim.waitMs;
  return body;
}

/** The body of `POST 1.0/job/{jobId}/heartbeat`. */
export function encodeHeartbeatBody(workerId: string, leaseMs?: number): Record<string, unknown> {
  return leaseMs === undefined
    ? { worker_id: workerId }
    : { worker_id: workerId, lease_ms: leaseMs };
}

/** The body of `POST 1.0/job/{jobId}/complete`; no `result` when it is undefined. */
export function encodeCompleteBody(
  workerId: string,
  result: unknown,
  options: WireOptions,
): Record<string, unknown> {
  const body: Record<string, unknown> = { worker_id: workerId };
  if (result !== undefined) body.result = mapKeysDeep(result, dataKeys(options));
  return body;
}

/** The body of `POST 1.0/job/complete`: several jobs, each with its result when it has one. */
export function encodeCompleteBatchBody(
  workerId: string,
  items: readonly { jobId: string; result?: unknown }[],
  options: WireOptions,
): Record<string, unknown> {
  const jobs = items.map((item) => {
    const job: Record<string, unknown> = { job_id: item.jobId };
    if (item.result !== undefined) job.result = mapKeysDeep(item.result, dataKeys(options));
    return job;
  });
  return { worker_id: workerId, jobs };
}

/**
 * The body of `POST 1.0/job/{jobId}/fail`: an Error is sent as its `message` and `name` (and a
 * string `code`), never its stack, which may hold paths and data the service has no use for.
 */
export function encodeFailBody(
  workerId: string,
  failure: Error | string | Record<string, unknown>,
  fatal: boolean,
  options: WireOptions,
): Record<string, unknown> {
  let error: Record<string, unknown>;
  if (typeof failure === 'string') error = { message: failure };
  else if (failure instanceof Error) {
    error = { message: failure.message, name: failure.name };
    const code = (failure as { code?: unknown }).code;
    if (typeof code === 'string') error.code = code;
  } else error = mapKeysDeep(failure, dataKeys(options)) as Record<string, unknown>;
  const body: Record<string, unknown> = { worker_id: workerId, error };
  if (fatal) body.fatal = true;
  return body;
}
