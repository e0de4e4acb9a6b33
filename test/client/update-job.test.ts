import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/index';
import {
  demoClient,
  envelope,
  FAST_RETRIES,
  respond,
  sentRequests,
  useMswServer,
  wireJob,
} from './msw-harness';

useMswServer();

function client(options: { serviceFieldKeys?: 'verbatim'; keyCasing?: 'legacy' } = {}) {
  return demoClient({ ...FAST_RETRIES, ...options });
}

describe('updateJob', () => {
  it('sends the contract vector byte for byte', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', {
      status: 'WORKING',
      currentStage: 'copying',
      serviceFields: {
        favorites: { color: 'red', movies: ['x', 'y'] },
        'file.txt': { sizeBytes: 3 },
      },
    });

    expect(calls[0]?.method).toBe('PATCH');
    expect(calls[0]?.body).toBe(
      '{"status":"WORKING","current_stage":"copying","service_fields.favorites.color":"red","service_fields.favorites.movies.0":"x","service_fields.favorites.movies.1":"y","service_fields.file(dot)txt.size_bytes":3}',
    );
  });

  it('sends the other fields before the service fields, as the legacy client did', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', { serviceFields: { foo: 'bar' }, status: 'WORKING' });

    expect(calls[0]?.body).toBe('{"status":"WORKING","service_fields.foo":"bar"}');
  });

  it("sends the legacy client's capitalised paths with keyCasing 'legacy'", async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client({ keyCasing: 'legacy' }).updateJob('abc123', {
      serviceFields: { Plate: { WellID: 1 }, 'A.B': 2 },
    });

    expect(calls[0]?.body).toBe(
      '{"service_fields._plate._well_i_d":1,"service_fields._a(dot)_b":2}',
    );
  });

  it('converts each segment of a capitalised path on its own by default', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', { serviceFields: { Plate: { WellID: 1 } } });

    expect(calls[0]?.body).toBe('{"service_fields.plate.well_i_d":1}');
  });

  it('sends {} for serviceFields null, as the legacy client did', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', { serviceFields: null });

    expect(calls[0]?.body).toBe('{}');
  });

  it('returns an answer expanded like a read, where the legacy client left it as sent', async () => {
    // Deliberate difference: the legacy client returned this answer's service fields as
    // { files: { '0': 'a', '1': 'b' }, 'file(dot)txt': 1 }.
    respond('patch', '1.0/job/abc123', {
      body: envelope([
        wireJob({ service_fields: { files: { 0: 'a', 1: 'b' }, 'file(dot)txt': 1 } }),
      ]),
    });

    const job = await client().updateJob('abc123', { status: 'WORKING' });

    expect(job.serviceFields).toStrictEqual({ files: ['a', 'b'], 'file.txt': 1 });
  });

  it('sends X-User-Id and JSON content headers, and no idempotency key', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', { currentStage: 'copying' });

    expect(calls[0]?.headers['x-user-id']).toBe('demo');
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(calls[0]?.headers.accept).toContain('application/json');
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
    expect(calls[0]?.search).toBe('');
  });

  it('accepts the legacy third argument true (patch only the given leaves)', async () => {
    const calls = respond('patch', '1.0/job/f55dd53883a44cdaa6eff884a6b5266b', {
      body: envelope([wireJob()]),
    });

    await client().updateJob(
      'f55dd53883a44cdaa6eff884a6b5266b',
      { serviceFields: { favorites: { color: 'blue' } } },
      true,
    );

    expect(calls[0]?.body).toBe('{"service_fields.favorites.color":"blue"}');
  });

  it('replaces each top-level service field whole when isPatch is false', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob(
      'abc123',
      {
        currentStage: 'queuing for SLURM',
        serviceFields: { files: ['file1.txt', 'file2.txt'], favorites: { number: 1 } },
      },
      false,
    );

    expect(calls[0]?.body).toBe(
      '{"current_stage":"queuing for SLURM","service_fields.files":["file1.txt","file2.txt"],"service_fields.favorites":{"number":1}}',
    );
  });

  it('takes call options as the third argument', async () => {
    const calls = respond(
      'patch',
      '1.0/job/abc123',
      { status: 503, body: null },
      { body: envelope([wireJob()]) },
    );

    await expect(
      client().updateJob('abc123', { currentStage: 'x' }, { maxRetries: 0 }),
    ).rejects.toThrow();
    expect(calls).toHaveLength(1);
  });

  it('retries a $set patch after a server error', async () => {
    const calls = respond(
      'patch',
      '1.0/job/abc123',
      {
        status: 503,
        body: { response_type: 'SERVER_ERROR', error: 'busy', code: 'injected_fault' },
      },
      { body: envelope([wireJob({ current_stage: 'copying' })]) },
    );

    const job = await client().updateJob('abc123', { currentStage: 'copying' });

    expect(calls).toHaveLength(2);
    expect(job.currentStage).toBe('copying');
  });

  it('keeps service-field keys as given in verbatim mode', async () => {
    const calls = respond('patch', '1.0/job/abc123', {
      body: envelope([wireJob({ service_fields: { my_key: 1, myKey: 2 } })]),
    });

    const job = await client({ serviceFieldKeys: 'verbatim' }).updateJob('abc123', {
      serviceFields: { my_key: 1, myKey: 2 },
    });

    expect(calls[0]?.body).toBe('{"service_fields.my_key":1,"service_fields.myKey":2}');
    expect(job.serviceFields).toEqual({ my_key: 1, myKey: 2 });
  });

  it('flattens arrays nested in arrays (legacy defect 2)', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', { serviceFields: { grid: [[1, 2], [3]] } });

    expect(calls[0]?.body).toBe(
      '{"service_fields.grid.0.0":1,"service_fields.grid.0.1":2,"service_fields.grid.1.0":3}',
    );
  });

  it('sends null elements and empty containers instead of dropping them', async () => {
    const calls = respond('patch', '1.0/job/abc123', { body: envelope([wireJob()]) });

    await client().updateJob('abc123', {
      serviceFields: { list: ['a', null], empty: {}, none: [] },
    });

    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      'service_fields.list.0': 'a',
      'service_fields.list.1': null,
      'service_fields.empty': {},
      'service_fields.none': [],
    });
  });

  it.each([
    [{ user: 'someone' }, 'update.user', 'not updatable'],
    [{ created: new Date() }, 'update.created', 'not updatable'],
    [{ parentId: 'p' }, 'update.parentId', 'not updatable'],
    [{ status: 'working' }, 'update.status', 'must be one of WAITING'],
    [{ jobName: 42 }, 'update.jobName', 'string'],
    [{ serviceFields: [1, 2] }, 'update.serviceFields', 'plain JSON object'],
    [{ serviceFields: { a: [1, undefined] } }, 'update.serviceFields.a[1]', 'undefined'],
    [{ serviceFields: { f: () => 1 } }, 'update.serviceFields.f', 'JSON'],
    [
      { serviceFields: JSON.parse('{"constructor":{"prototype":{}}}') },
      'update.serviceFields.constructor',
      'not allowed',
    ],
    [{}, 'update', 'at least one'],
  ])('refuses %j naming %s, and sends nothing', async (update, field, rule) => {
    const error = await client()
      .updateJob('abc123', update as never)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toContain(`${field}:`);
    expect((error as Error).message).toContain(rule);
    expect(sentRequests()).toHaveLength(0);
  });

  it('refuses a job id that would leave its path segment', async () => {
    await expect(client().updateJob('../x', { currentStage: 'a' })).rejects.toBeInstanceOf(
      RequestValidationError,
    );
    expect(sentRequests()).toHaveLength(0);
  });
});
