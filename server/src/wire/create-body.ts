import {
  parseCreateBody as parseCreateRequest,
  type NewJobFields,
  type SchedulingRequest,
} from '#protocol';
import { newJobId } from '#protocol/ids';
import { hashJson } from './hash-json';
import { requireJobId } from './job-id';
import { withApiErrors } from './model-errors';

/** The work queue's fields of a new job (docs/protocol.md, "Scheduling fields on create"). */
export interface NewJobScheduling {
  priority: number | null;
  /** An ISO time, or null; `delay_ms` is added to the database's time of the insert instead. */
  run_at: string | null;
  delay_ms: number | null;
  depends_on: string[] | null;
  retry: SchedulingRequest['retry'] | null;
  repeat: SchedulingRequest['repeat'] | null;
  /** Set by the service only: why a dependency keeps the job BLOCKED. */
  blocked_reason: string | null;
  /** Set by the service only, on a repeating job's next run. */
  repeat_of: string | null;
}

/** A validated create request, with the server's defaults filled in. */
export interface NewJob extends NewJobFields, NewJobScheduling {
  job_id: string;
  /** Fingerprint of the request (less `created`/`modified`) for idempotent re-creation. */
  create_hash: string;
}

/**
 * Validates the body of `POST 1.0/job/` (docs/protocol.md, "The job on the wire"), scheduling
 * fields included, with the SDK model's rules, then the requested job id with the server's own.
 */
export function parseCreateBody(body: unknown): NewJob {
  const { requestedJobId, fields, request, scheduling } = withApiErrors(() =>
    parseCreateRequest(body, { scheduling: true }),
  );
  return {
    job_id: requestedJobId === undefined ? newJobId() : requireJobId(requestedJobId),
    ...fields,
    ...schedulingColumns(scheduling ?? {}),
    create_hash: hashJson(request),
  };
}

function schedulingColumns(request: SchedulingRequest): NewJobScheduling {
  return {
    priority: request.priority ?? null,
    run_at: request.runAt?.toISOString() ?? null,
    delay_ms: request.delayMs ?? null,
    depends_on: request.dependsOn ?? null,
    retry: request.retry ?? null,
    repeat: request.repeat ?? null,
    blocked_reason: null,
    repeat_of: null,
  };
}
