import type { Job, JobStatusClient } from 'job-status-client';
import { valueAt, type ExpectedJob } from './workload';

/** How the stored jobs compare with what the callers were told. */
export interface Verification {
  jobsExpected: number;
  /** Expected jobs present under the id their create returned. */
  jobsFound: number;
  /** Stored jobs beyond one per tag (a create that ran twice), and jobs with no tag. */
  duplicates: number;
  /** Acknowledged writes the store does not hold: a patched path, a status or a stage. */
  lostUpdates: number;
  /** Jobs whose log does not hold exactly the entries acknowledged. */
  logAnomalies: number;
  /** The first few differences, for the report. */
  examples: string[];
}

/**
 * Reads every job of `user` through `client` (which must reach the store without faults) and
 * compares each with its caller's expectations.
 */
export async function verify(
  client: JobStatusClient,
  user: string,
  expected: readonly ExpectedJob[],
): Promise<Verification> {
  const stored = await client.getJobs({ user });
  const byId = new Map(stored.map((job) => [job.jobId, job]));
  const result: Verification = {
    jobsExpected: expected.length,
    jobsFound: 0,
    duplicates: countDuplicates(stored),
    lostUpdates: 0,
    logAnomalies: 0,
    examples: [],
  };
  const report = (text: string) => {
    if (result.examples.length < 5) result.examples.push(text);
  };

  for (const want of expected) {
    const job = want.jobId === undefined ? undefined : byId.get(want.jobId);
    if (!job) {
      report(`${want.tag}: job ${want.jobId ?? '(never acknowledged)'} not found`);
      continue;
    }
    result.jobsFound += 1;
    for (const difference of differences(job, want)) {
      result.lostUpdates += 1;
      report(`${want.tag}: ${difference}`);
    }
    if (want.logs > 0 && (job.logs?.length ?? 0) !== want.logs) {
      result.logAnomalies += 1;
      report(`${want.tag}: ${job.logs?.length ?? 0} log entries, expected ${want.logs}`);
    }
  }
  return result;
}

function countDuplicates(stored: readonly Job[]): number {
  const tags = new Set<unknown>();
  let duplicates = 0;
  for (const job of stored) {
    const tag = valueAt(job, ['soak', 'tag']);
    if (typeof tag !== 'string' || tags.has(tag)) duplicates += 1;
    tags.add(tag);
  }
  return duplicates;
}

function differences(job: Job, want: ExpectedJob): string[] {
  const found: string[] = [];
  if (want.status !== undefined && job.status !== want.status) {
    found.push(`status ${job.status}, expected ${want.status}`);
  }
  if (want.currentStage !== undefined && job.currentStage !== want.currentStage) {
    found.push(`currentStage ${String(job.currentStage)}, expected ${want.currentStage}`);
  }
  for (const field of want.fields) {
    const value = valueAt(job, field.path);
    if (value !== field.value) {
      found.push(
        `serviceFields.${field.path.join('.')} is ${JSON.stringify(value)}, expected ${JSON.stringify(field.value)}`,
      );
    }
  }
  return found;
}
