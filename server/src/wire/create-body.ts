import {
  parseCreateBody as parseCreateRequest,
  type NewJobFields,
} from '../../../src/internal/model';
import { hashJson } from './canonical-json';
import { newJobId, requireJobId } from './job-id';
import { withApiErrors } from './model-errors';

/** A validated create request, with the server's defaults filled in. */
export interface NewJob extends NewJobFields {
  job_id: string;
  /** Fingerprint of the request (less `created`/`modified`) for idempotent re-creation. */
  create_hash: string;
}

/**
 * Validates the body of `POST 1.0/job/` (docs/protocol.md, "The job on the wire") with the SDK
 * model's rules, then the requested job id with the server's own.
 */
export function parseCreateBody(body: unknown): NewJob {
  const { requestedJobId, fields, request } = withApiErrors(() => parseCreateRequest(body));
  return {
    job_id: requestedJobId === undefined ? newJobId() : requireJobId(requestedJobId),
    ...fields,
    create_hash: hashJson(request),
  };
}
