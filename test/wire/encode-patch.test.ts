import { describe, expect, it } from 'vitest';
import { encodePatchBody } from '../../src/wire';

const patch = { serviceFieldKeys: 'snake_case', isPatch: true } as const;
const replace = { serviceFieldKeys: 'snake_case', isPatch: false } as const;
const verbatimPatch = { serviceFieldKeys: 'verbatim', isPatch: true } as const;
const legacyPatch = { serviceFieldKeys: 'snake_case', keyCasing: 'legacy', isPatch: true } as const;
const legacyReplace = { ...legacyPatch, isPatch: false } as const;

describe('encodePatchBody', () => {
  it("reproduces the contract's observed PATCH body byte for byte", () => {
    const body = encodePatchBody(
      {
        status: 'WORKING',
        currentStage: 'copying',
        serviceFields: {
          favorites: { color: 'red', movies: ['x', 'y'] },
          'file.txt': { sizeBytes: 3 },
        },
      },
      patch,
    );
    expect(JSON.stringify(body)).toBe(
      '{"status":"WORKING","current_stage":"copying","service_fields.favorites.color":"red",' +
        '"service_fields.favorites.movies.0":"x","service_fields.favorites.movies.1":"y",' +
        '"service_fields.file(dot)txt.size_bytes":3}',
    );
  });

  it('sends the other fields first, then the service fields, as the legacy mapper did', () => {
    // The legacy mapper spread the non-service fields, then the flattened service fields.
    expect(
      JSON.stringify(encodePatchBody({ serviceFields: { foo: 'bar' }, status: 'WORKING' }, patch)),
    ).toBe('{"status":"WORKING","service_fields.foo":"bar"}');
  });

  it('follows the update key order within each group, service fields depth first', () => {
    const body = encodePatchBody(
      { serviceFields: { b: { d: 1, c: 2 }, a: 3 }, jobName: 'name', currentStage: 'stage' },
      patch,
    );
    expect(Object.keys(body)).toEqual([
      'job_name',
      'current_stage',
      'service_fields.b.d',
      'service_fields.b.c',
      'service_fields.a',
    ]);
  });

  it('flattens an array nested in an array (legacy defect 2)', () => {
    const body = encodePatchBody({ serviceFields: { grid: [[1, 2], [3]] } }, patch);
    expect(JSON.stringify(body)).toBe(
      '{"service_fields.grid.0.0":1,"service_fields.grid.0.1":2,"service_fields.grid.1.0":3}',
    );
  });

  it('flattens serviceFields that is itself an array (legacy defect 2)', () => {
    expect(encodePatchBody({ serviceFields: ['a', { b: 1 }] }, patch)).toEqual({
      'service_fields.0': 'a',
      'service_fields.1.b': 1,
    });
  });

  it('sends an empty object and an empty array as keys of their own (legacy defect 4)', () => {
    const body = encodePatchBody({ serviceFields: { options: {}, tags: [], nested: [{}] } }, patch);
    expect(JSON.stringify(body)).toBe(
      '{"service_fields.options":{},"service_fields.tags":[],"service_fields.nested.0":{}}',
    );
  });

  it('keeps a null element of an array (legacy defect 4)', () => {
    expect(JSON.stringify(encodePatchBody({ serviceFields: { a: ['x', null, 'z'] } }, patch))).toBe(
      '{"service_fields.a.0":"x","service_fields.a.1":null,"service_fields.a.2":"z"}',
    );
  });

  it('sends Dates as ISO strings, at the top level and as leaves', () => {
    const at = new Date(Date.UTC(2021, 1, 3, 4, 5, 6, 7));
    expect(encodePatchBody({ currentStage: 'x', serviceFields: { times: [at] } }, patch)).toEqual({
      current_stage: 'x',
      'service_fields.times.0': '2021-02-03T04:05:06.007Z',
    });
  });

  it('sends top-level fields as they are, without flattening', () => {
    expect(JSON.stringify(encodePatchBody({ childIds: ['a', 'b'], jobName: null }, patch))).toBe(
      '{"child_ids":["a","b"],"job_name":null}',
    );
  });

  it('snake_cases service-field keys at every depth by default', () => {
    expect(encodePatchBody({ serviceFields: { outerKey: { innerKey: 1 } } }, patch)).toEqual({
      'service_fields.outer_key.inner_key': 1,
    });
  });

  it('sends service-field keys exactly as given in verbatim mode, dots still escaped', () => {
    const body = encodePatchBody(
      { currentHost: 'h', serviceFields: { myKey: { 'my key': 1, my_key: 2, 'v1.2': 3 } } },
      verbatimPatch,
    );
    expect(JSON.stringify(body)).toBe(
      '{"current_host":"h","service_fields.myKey.my key":1,"service_fields.myKey.my_key":2,' +
        '"service_fields.myKey.v1(dot)2":3}',
    );
  });

  it('sends each top-level service field whole in replace mode', () => {
    const body = encodePatchBody(
      { serviceFields: { favorites: { favoriteColor: 'red', list: [1, [2]] }, 'file.txt': 1 } },
      replace,
    );
    expect(JSON.stringify(body)).toBe(
      '{"service_fields.favorites":{"favorite_color":"red","list":[1,[2]]},"service_fields.file(dot)txt":1}',
    );
  });

  it('keeps inner keys verbatim and turns Dates into ISO strings in replace mode', () => {
    const body = encodePatchBody(
      { serviceFields: { run: { startedAt: new Date(Date.UTC(2020, 0, 1)), 'a.b': 1 } } },
      { serviceFieldKeys: 'verbatim', isPatch: false },
    );
    expect(body).toEqual({
      'service_fields.run': { startedAt: '2020-01-01T00:00:00.000Z', 'a.b': 1 },
    });
  });

  it('converts each segment of a capitalised path on its own by default', () => {
    expect(
      JSON.stringify(encodePatchBody({ serviceFields: { Plate: { WellID: 1 }, 'A.B': 2 } }, patch)),
    ).toBe('{"service_fields.plate.well_i_d":1,"service_fields.a(dot)_b":2}');
  });

  it("sends the legacy client's bytes for a capitalised path with keyCasing 'legacy'", () => {
    expect(
      JSON.stringify(
        encodePatchBody({ serviceFields: { Plate: { WellID: 1 }, 'A.B': 2 } }, legacyPatch),
      ),
    ).toBe('{"service_fields._plate._well_i_d":1,"service_fields._a(dot)_b":2}');
  });

  it("converts inner keys one by one in replace mode with keyCasing 'legacy'", () => {
    // humps converted the keys inside a value one at a time: no underscore before the first.
    expect(
      JSON.stringify(encodePatchBody({ serviceFields: { Plate: { WellID: 1 } } }, legacyReplace)),
    ).toBe('{"service_fields._plate":{"well_i_d":1}}');
  });

  it("reproduces the contract's observed PATCH body with keyCasing 'legacy' too", () => {
    const body = encodePatchBody(
      {
        status: 'WORKING',
        currentStage: 'copying',
        serviceFields: { favorites: { color: 'red', movies: ['x'] }, 'file.txt': { sizeBytes: 3 } },
      },
      legacyPatch,
    );
    expect(JSON.stringify(body)).toBe(
      '{"status":"WORKING","current_stage":"copying","service_fields.favorites.color":"red",' +
        '"service_fields.favorites.movies.0":"x","service_fields.file(dot)txt.size_bytes":3}',
    );
  });

  it('sends nothing for a null serviceFields, as the legacy client did', () => {
    expect(JSON.stringify(encodePatchBody({ serviceFields: null }, patch))).toBe('{}');
  });

  it('sends the other fields of an update whose serviceFields is null', () => {
    expect(
      JSON.stringify(encodePatchBody({ serviceFields: null, status: 'WORKING' }, replace)),
    ).toBe('{"status":"WORKING"}');
  });

  it('sets nothing for an empty serviceFields', () => {
    expect(encodePatchBody({ status: 'WORKING', serviceFields: {} }, patch)).toEqual({
      status: 'WORKING',
    });
  });

  it('leaves out undefined properties', () => {
    expect(
      encodePatchBody({ jobName: undefined, serviceFields: { a: undefined, b: 1 } }, patch),
    ).toEqual({
      'service_fields.b': 1,
    });
  });

  it('does not change its input', () => {
    const update = { serviceFields: { a: [[1], { b: new Date(0) }] } };
    const before = structuredClone(update);
    encodePatchBody(update, patch);
    expect(update).toEqual(before);
  });
});
