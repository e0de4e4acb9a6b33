import { ResponseValidationError } from '../errors';
import type { Job } from '../schemas/job';
import type { WireOptions } from '../wire/options';
import { mapJobs, validate, type DecodeContext } from './index';
import { batchEnvelopeSchema } from './wire-schemas';

/** One job of a batch create: the job, and whether this call created it (else it existed). */
export interface CreatedJob {
  job: Job;
  created: boolean;
}

/** The answer of a batch create: one entry per job sent, in the order sent. */
export function decodeCreatedJobs(
  body: unknown,
  options: WireOptions,
  expected: number,
  context: DecodeContext = {},
): CreatedJob[] {
  const envelope = validate(batchEnvelopeSchema, body, context);
  const jobs = mapJobs(envelope, options, context);
  if (jobs.length !== expected || envelope.results.length !== expected) {
    throw new ResponseValidationError(
      [{ path: ['data'], message: `must hold one job per job sent (${expected})`, code: 'custom' }],
      context,
    );
  }
  return jobs.map((job, index) => ({ job, created: envelope.results[index]!.created }));
}
