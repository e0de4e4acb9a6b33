import { describe, expect, it } from 'vitest';
import { encodeCreateBody } from '../../src/wire';

const legacy = { serviceFieldKeys: 'snake_case' } as const;
const verbatim = { serviceFieldKeys: 'verbatim' } as const;

describe('encodeCreateBody', () => {
  it('snake_cases top-level keys and keeps nested objects nested', () => {
    const body = encodeCreateBody(
      {
        jobId: 'f55d',
        user: 'demo',
        childIds: ['a0ea'],
        parentId: null,
        serviceFields: { guestName: 'goofy', favorites: { favoriteColor: 'red' } },
      },
      legacy,
    );
    expect(JSON.stringify(body)).toBe(
      '{"job_id":"f55d","user":"demo","child_ids":["a0ea"],"parent_id":null,' +
        '"service_fields":{"guest_name":"goofy","favorites":{"favorite_color":"red"}}}',
    );
  });

  it('snake_cases service-field keys inside arrays by default', () => {
    const body = encodeCreateBody(
      { serviceFields: { files: [{ sizeBytes: 3 }, [{ fileID: 'x' }]] } },
      legacy,
    );
    expect(body).toEqual({ service_fields: { files: [{ size_bytes: 3 }, [{ file_i_d: 'x' }]] } });
  });

  it('sends service-field keys exactly as given in verbatim mode', () => {
    const body = encodeCreateBody(
      { jobName: 'n', serviceFields: { myKey: { innerKey: 1 }, 'my key': 2, my_key: 3 } },
      verbatim,
    );
    expect(JSON.stringify(body)).toBe(
      '{"job_name":"n","service_fields":{"myKey":{"innerKey":1},"my key":2,"my_key":3}}',
    );
  });

  it('sends Dates as ISO strings at any depth', () => {
    const at = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6));
    const body = encodeCreateBody({ serviceFields: { startedAt: at, history: [{ at }] } }, legacy);
    expect(body).toEqual({
      service_fields: {
        started_at: '2020-01-02T03:04:05.006Z',
        history: [{ at: '2020-01-02T03:04:05.006Z' }],
      },
    });
  });

  it('sends an invalid Date as null, as JSON would', () => {
    expect(encodeCreateBody({ serviceFields: { at: new Date(Number.NaN) } }, legacy)).toEqual({
      service_fields: { at: null },
    });
  });

  it('does not escape dots in keys', () => {
    expect(JSON.stringify(encodeCreateBody({ serviceFields: { 'file.txt': 1 } }, legacy))).toBe(
      '{"service_fields":{"file.txt":1}}',
    );
  });

  it('leaves out undefined properties and sends undefined array elements as null', () => {
    const body = encodeCreateBody(
      { user: 'u', jobName: undefined, serviceFields: { a: undefined, b: [undefined] } },
      legacy,
    );
    expect(JSON.stringify(body)).toBe('{"user":"u","service_fields":{"b":[null]}}');
  });

  it('does not change its input', () => {
    const job = { userName: 'u', serviceFields: { nestedKey: { at: new Date(0) } } };
    const before = structuredClone(job);
    encodeCreateBody(job, legacy);
    expect(job).toEqual(before);
  });

  it('keeps a "__proto__" key as an own property without touching any prototype', () => {
    const job = JSON.parse('{"serviceFields":{"__proto__":{"polluted":true}}}') as Record<
      string,
      unknown
    >;
    const body = encodeCreateBody(job, verbatim);
    const serviceFields = body.service_fields as Record<string, unknown>;
    expect(Object.getPrototypeOf(serviceFields)).toBe(Object.prototype);
    expect(Object.hasOwn(serviceFields, '__proto__')).toBe(true);
    expect(JSON.stringify(body)).toBe('{"service_fields":{"__proto__":{"polluted":true}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
