import { describe, expect, it } from 'vitest';
import { decodeJob } from '../../src/wire';

const legacy = { serviceFieldKeys: 'snake_case' } as const;
const verbatim = { serviceFieldKeys: 'verbatim' } as const;

const base = {
  job_id: 'abc123',
  user: 'demo',
  status: 'WORKING',
  created: '2019-06-18T15:31:45.610+0000',
  modified: '2019-06-18T15:32:00.000+0000',
};

/** Parses JSON text as the transport would hand it over. */
function wire(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('decodeJob', () => {
  it('camelCases top-level keys and keeps unknown extra fields', () => {
    const job = decodeJob(
      { ...base, current_stage: 'copying', origination_host: null, new_field: { some_key: 1 } },
      legacy,
    );
    expect(Object.keys(job)).toEqual([
      'jobId',
      'user',
      'status',
      'created',
      'modified',
      'currentStage',
      'originationHost',
      'newField',
    ]);
    expect(job.newField).toEqual({ someKey: 1 });
  });

  it('turns created and modified into Dates (legacy defect 5)', () => {
    const job = decodeJob(base, legacy);
    expect(job.created).toBeInstanceOf(Date);
    expect((job.created as Date).toISOString()).toBe('2019-06-18T15:31:45.610Z');
    expect((job.modified as Date).toISOString()).toBe('2019-06-18T15:32:00.000Z');
  });

  it('leaves a time it cannot parse as the string it was', () => {
    expect(decodeJob({ ...base, created: 'last tuesday' }, legacy).created).toBe('last tuesday');
  });

  it('rebuilds an array of 11 elements from index keys (legacy defect 1)', () => {
    const keyed = Object.fromEntries(
      Array.from({ length: 11 }, (_, index) => [String(index), `f${index}`]),
    );
    const job = decodeJob({ ...base, service_fields: { files: keyed } }, legacy);
    expect(job.serviceFields).toEqual({
      files: Array.from({ length: 11 }, (_, index) => `f${index}`),
    });
  });

  it('rebuilds arrays at every depth, arrays of arrays and arrays inside arrays included', () => {
    const job = decodeJob(
      wire(
        '{"service_fields":{"grid":{"0":{"0":1,"1":2},"1":[{"0":"x"}]},"list":[{"a":{"0":true}}]}}',
      ),
      legacy,
    );
    expect(job.serviceFields).toEqual({ grid: [[1, 2], [['x']]], list: [{ a: [true] }] });
  });

  it('keeps service_fields itself an object when it is keyed by indices, as the legacy client did', () => {
    // The legacy mapper's object: the top stays keyed, arrays are rebuilt only below it.
    expect(
      decodeJob(wire('{"service_fields":{"0":"a","1":{"file_name":"b","tags":{"0":"x"}}}}'), legacy)
        .serviceFields,
    ).toStrictEqual({ '0': 'a', '1': { fileName: 'b', tags: ['x'] } });
  });

  it("keeps a log entry's data an object when it is keyed by indices", () => {
    const job = decodeJob(
      wire('{"logs":[{"level":"info","message":"m","data":{"0":"a"}}]}'),
      legacy,
    );
    expect((job.logs as { data: unknown }[])[0]?.data).toStrictEqual({ '0': 'a' });
  });

  it('keeps sparse, shifted or non-canonical index keys as an object', () => {
    const job = decodeJob(
      wire(
        '{"service_fields":{"sparse":{"0":1,"2":3},"shifted":{"1":1,"2":2},"padded":{"0":1,"01":2},"mixed":{"0":1,"x":2}}}',
      ),
      legacy,
    );
    expect(job.serviceFields).toEqual({
      sparse: { 0: 1, 2: 3 },
      shifted: { 1: 1, 2: 2 },
      padded: { 0: 1, '01': 2 },
      mixed: { 0: 1, x: 2 },
    });
  });

  it('keeps an empty object and an empty array as they are', () => {
    expect(decodeJob(wire('{"service_fields":{"a":{},"b":[]}}'), legacy).serviceFields).toEqual({
      a: {},
      b: [],
    });
  });

  it('unescapes (dot) in service-field keys but never in values', () => {
    const job = decodeJob(
      wire('{"service_fields":{"file(dot)txt":{"note":"see a(dot)b"},"a(dot)b(dot)c":1}}'),
      legacy,
    );
    expect(job.serviceFields).toEqual({ 'file.txt': { note: 'see a(dot)b' }, 'a.b.c': 1 });
  });

  it('camelCases service-field keys at every depth by default', () => {
    const job = decodeJob(
      wire('{"service_fields":{"outer_key":[{"inner_key":{"size_bytes":3}}]}}'),
      legacy,
    );
    expect(job.serviceFields).toEqual({ outerKey: [{ innerKey: { sizeBytes: 3 } }] });
  });

  it('leaves service-field keys exactly as received in verbatim mode', () => {
    const job = decodeJob(
      wire(
        '{"job_name":"n","service_fields":{"my_key":{"my key":1,"myKey":2,"file(dot)txt":{"0":"x"}}}}',
      ),
      verbatim,
    );
    expect(job.jobName).toBe('n');
    expect(job.serviceFields).toEqual({ my_key: { 'my key': 1, myKey: 2, 'file.txt': ['x'] } });
  });

  it('keeps a null service_fields as null', () => {
    expect(decodeJob({ ...base, service_fields: null }, legacy).serviceFields).toBeNull();
  });

  it('passes progress through', () => {
    const job = decodeJob({ ...base, progress: { completed: 3, total: 4, percent: 75 } }, legacy);
    expect(job.progress).toEqual({ completed: 3, total: 4, percent: 75 });
  });

  it('turns each log time into a Date and treats log data like service fields', () => {
    const job = decodeJob(
      wire(
        '{"logs":[{"time":"2019-06-18T15:31:45.610+0000","level":"info","message":"a_b","data":{"file(dot)txt":{"0":1},"row_count":2}}]}',
      ),
      legacy,
    );
    expect(job.logs).toEqual([
      {
        time: new Date(Date.UTC(2019, 5, 18, 15, 31, 45, 610)),
        level: 'info',
        message: 'a_b',
        data: { 'file.txt': [1], rowCount: 2 },
      },
    ]);
  });

  it('leaves log data keys as received in verbatim mode', () => {
    const job = decodeJob(
      wire('{"logs":[{"time":"x","level":"info","message":"m","data":{"row_count":2}}]}'),
      verbatim,
    );
    expect(job.logs).toEqual([{ time: 'x', level: 'info', message: 'm', data: { row_count: 2 } }]);
  });

  it('returns a fresh object and does not change its input', () => {
    const input = deepFreeze(
      wire(
        '{"job_id":"a","service_fields":{"files":{"0":"x"},"meta":{"k":[1]}},"progress":{"completed":1,"total":2,"percent":50}}',
      ),
    );
    const before = JSON.stringify(input);
    const job = decodeJob(input, legacy);
    expect(JSON.stringify(input)).toBe(before);
    const serviceFields = job.serviceFields as { meta: { k: unknown } };
    const inputFields = input.service_fields as { meta: { k: unknown } };
    expect(serviceFields.meta).not.toBe(inputFields.meta);
    expect(serviceFields.meta.k).not.toBe(inputFields.meta.k);
    expect(job.progress).not.toBe(input.progress);
  });

  it('keeps a "__proto__" service-field key as an own property, never as a prototype', () => {
    const job = decodeJob(wire('{"service_fields":{"__proto__":{"polluted":true}}}'), verbatim);
    const serviceFields = job.serviceFields as Record<string, unknown>;
    expect(Object.getPrototypeOf(serviceFields)).toBe(Object.prototype);
    expect(Object.hasOwn(serviceFields, '__proto__')).toBe(true);
    expect(serviceFields.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('camelCases a "__proto__" key to "proto" like any other key by default', () => {
    const job = decodeJob(
      wire('{"__proto__":{"polluted":true},"service_fields":{"__proto__":1}}'),
      legacy,
    );
    expect(job).toEqual({ proto: { polluted: true }, serviceFields: { proto: 1 } });
    expect(Object.getPrototypeOf(job)).toBe(Object.prototype);
  });
});
