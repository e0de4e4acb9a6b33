import { describe, expect, it } from 'vitest';
import { encodeFilterBody } from '../../src/wire';

const legacy = { serviceFieldKeys: 'snake_case' } as const;
const verbatim = { serviceFieldKeys: 'verbatim' } as const;

describe('encodeFilterBody', () => {
  it("reproduces the contract's observed query body byte for byte", () => {
    const body = encodeFilterBody(
      {
        user: 'demo',
        jobId: { $in: ['a', 'b'] },
        status: { $in: ['FAILED', 'UNRECOVERABLE'] },
        parentId: { $ne: 'p' },
        serviceFields: { type: 'upload' },
      },
      legacy,
    );
    expect(JSON.stringify(body)).toBe(
      '{"user":"demo","job_id":{"$in":["a","b"]},"status":{"$in":["FAILED","UNRECOVERABLE"]},' +
        '"parent_id":{"$ne":"p"},"service_fields.type":"upload"}',
    );
  });

  it('sends the other conditions first, then the service fields, as the legacy mapper did', () => {
    expect(
      JSON.stringify(encodeFilterBody({ serviceFields: { type: 'upload' }, user: 'demo' }, legacy)),
    ).toBe('{"user":"demo","service_fields.type":"upload"}');
  });

  it("sends the legacy client's bytes for a capitalised path with keyCasing 'legacy'", () => {
    expect(
      JSON.stringify(
        encodeFilterBody(
          { serviceFields: { Plate: { WellID: { $in: [1, 2] } } } },
          { serviceFieldKeys: 'snake_case', keyCasing: 'legacy' },
        ),
      ),
    ).toBe('{"service_fields._plate._well_i_d":{"$in":[1,2]}}');
  });

  it('converts each segment of a capitalised path on its own by default', () => {
    expect(
      JSON.stringify(encodeFilterBody({ serviceFields: { Plate: { WellID: 1 } } }, legacy)),
    ).toBe('{"service_fields.plate.well_i_d":1}');
  });

  it('keeps an operator object inside serviceFields as one leaf (legacy defect 3)', () => {
    expect(
      JSON.stringify(encodeFilterBody({ serviceFields: { n: { $in: [1, 2] } } }, legacy)),
    ).toBe('{"service_fields.n":{"$in":[1,2]}}');
  });

  it('flattens nested literal conditions into dotted keys with (dot) escaping', () => {
    const body = encodeFilterBody(
      { serviceFields: { upload: { fileName: 'a.txt', 'v1.2': { count: { $gte: 2, $lt: 5 } } } } },
      legacy,
    );
    expect(JSON.stringify(body)).toBe(
      '{"service_fields.upload.file_name":"a.txt","service_fields.upload.v1(dot)2.count":{"$gte":2,"$lt":5}}',
    );
  });

  it('sends Dates as ISO strings, inside operators too', () => {
    const since = new Date(Date.UTC(2020, 4, 6, 7, 8, 9, 10));
    const body = encodeFilterBody(
      { created: { $gt: since }, serviceFields: { seen: { $in: [since, null] }, at: since } },
      legacy,
    );
    expect(body).toEqual({
      created: { $gt: '2020-05-06T07:08:09.010Z' },
      'service_fields.seen': { $in: ['2020-05-06T07:08:09.010Z', null] },
      'service_fields.at': '2020-05-06T07:08:09.010Z',
    });
  });

  it('snake_cases keys inside operands by default and leaves them in verbatim mode', () => {
    const filter = { serviceFields: { pair: { $eq: { leftKey: 1 } } } };
    expect(encodeFilterBody(filter, legacy)).toEqual({
      'service_fields.pair': { $eq: { left_key: 1 } },
    });
    expect(encodeFilterBody(filter, verbatim)).toEqual({
      'service_fields.pair': { $eq: { leftKey: 1 } },
    });
  });

  it('leaves service-field path keys exactly as given in verbatim mode', () => {
    expect(encodeFilterBody({ serviceFields: { myKey: { my_key: 1 } } }, verbatim)).toEqual({
      'service_fields.myKey.my_key': 1,
    });
  });

  it('flattens a literal array like a patch and sends empty containers as their own keys', () => {
    expect(
      encodeFilterBody({ serviceFields: { tags: ['a', ['b']], none: [], empty: {} } }, legacy),
    ).toEqual({
      'service_fields.tags.0': 'a',
      'service_fields.tags.1.0': 'b',
      'service_fields.none': [],
      'service_fields.empty': {},
    });
  });

  it('sends a top-level array literal as it is', () => {
    expect(JSON.stringify(encodeFilterBody({ childIds: ['a', 'b'] }, legacy))).toBe(
      '{"child_ids":["a","b"]}',
    );
  });

  it('copes with odd values without throwing', () => {
    class Thing {
      size = 2;
    }
    const filter = {
      serviceFields: { grid: [[null, [[]]]], thing: new Thing(), fn: () => 1, nothing: null },
      status: null,
    };
    expect(encodeFilterBody(filter as Record<string, unknown>, legacy)).toEqual({
      'service_fields.grid.0.0': null,
      'service_fields.grid.0.1.0': [],
      'service_fields.thing.size': 2,
      'service_fields.fn': filter.serviceFields.fn,
      'service_fields.nothing': null,
      status: null,
    });
  });
});
