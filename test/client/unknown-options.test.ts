import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/index';
import { demoClient, envelope, respond, sentRequests, useMswServer, wireJob } from './msw-harness';

useMswServer();

const ID = 'abc123';

/** What a call that must not be sent rejects with, as the issues of its error. */
async function issuesOf(call: () => Promise<unknown>) {
  const error = await call().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  return (error as RequestValidationError).issues;
}

// The calls below hide the misspelt options from the compiler as a JavaScript caller would.
const loose = (options: Record<string, unknown>) => options as never;

describe('unknown per-call options', () => {
  it('refuses a misspelt call option of getJob, naming it, before anything is sent', async () => {
    const issues = await issuesOf(() => demoClient().getJob(ID, loose({ timeot: 5_000 })));

    expect(issues).toEqual([
      expect.objectContaining({
        path: ['options', 'timeot'],
        message: expect.stringContaining('is not an option of this call'),
      }),
    ]);
    expect(sentRequests()).toEqual([]);
  });

  it('suggests the option that differs only in case', async () => {
    const issues = await issuesOf(() => demoClient().getJob(ID, loose({ maxretries: 1 })));

    expect(issues[0]?.message).toBe('is not an option; did you mean "maxRetries"?');
  });

  it('lists the options of the call in the message', async () => {
    const error = await demoClient()
      .getJob(ID, loose({ retries: 1 }))
      .then(
        () => new Error('resolved'),
        (thrown: unknown) => thrown as Error,
      );

    expect(error.message).toContain('options.retries');
    expect(error.message).toContain('signal, timeout, deadline, maxRetries');
  });

  it("accepts listJobs' paging options together with the call options", async () => {
    const calls = respond('post', '1.0/job/query', { body: envelope([wireJob()]) });

    await demoClient().listJobs({}, { limit: 10, timeout: 5_000 });

    expect(calls).toHaveLength(1);
  });

  it('refuses a cursor in listQueue, whose options have none', async () => {
    const issues = await issuesOf(() => demoClient().listQueue('failed', loose({ cursor: 'x' })));

    expect(issues.map((issue) => issue.path)).toEqual([['options', 'cursor']]);
  });

  it("refuses a misspelt log option and keeps log's own level and data", async () => {
    const issues = await issuesOf(() =>
      demoClient().log(ID, 'copied', loose({ level: 'info', data: {}, levle: 'info' })),
    );

    expect(issues.map((issue) => issue.path)).toEqual([['options', 'levle']]);
  });

  it('refuses an unknown option of getJobsChangedSince', async () => {
    const issues = await issuesOf(() => demoClient().getJobsChangedSince(0, loose({ since: 3 })));

    expect(issues.map((issue) => issue.path)).toEqual([['options', 'since']]);
  });

  it('rejects waitForJob with an unknown option', async () => {
    const issues = await issuesOf(() => demoClient().waitForJob(ID, loose({ pollIntervalMs: 5 })));

    expect(issues.map((issue) => issue.path)).toEqual([['options', 'pollIntervalMs']]);
  });

  it('throws at once from subscribe for an unknown option', () => {
    expect(() => demoClient().subscribe('demo', loose({ reconnect: false }))).toThrow(
      RequestValidationError,
    );
  });

  it('throws at once from iterateJobs for a call option it does not take', () => {
    expect(() => demoClient().iterateJobs({}, loose({ timeout: 5 }))).toThrow(/options\.timeout/);
  });
});
