import { describe, expect, it } from 'vitest';
import { oneOf } from '../../src/index';
import { collectFilterIssues } from '../../src/schemas/filter';

describe('collectFilterIssues', () => {
  it.each([
    [{ childIds: ['a', 'b'] }],
    [{ childIds: 'a' }],
    [{ parentId: null }],
    [{ updateParent: true }],
    [{ created: '2024-01-01T00:00:00Z', modified: { $lt: new Date(0) } }],
    [{ serviceFields: {} }],
    [{ serviceFields: { tags: ['a', 'b'], meta: { n: { $in: [1, new Date(0), null] } } } }],
    [{ user: undefined, jobName: 'x' }],
  ])('accepts %j in legacy mode', (filter) => {
    expect(collectFilterIssues(filter, 'legacy')).toEqual([]);
  });

  it('accepts allowlisted plain operator objects in legacy mode only', () => {
    const filter = { status: { $in: ['WAITING'] } };

    expect(collectFilterIssues(filter, 'legacy')).toEqual([]);
    expect(collectFilterIssues(filter, 'strict')).toEqual([
      expect.objectContaining({ path: ['filter', 'status'], code: 'unbranded_operator' }),
    ]);
  });

  it('accepts helper operators in strict mode, at any depth of service fields', () => {
    expect(
      collectFilterIssues({ serviceFields: { a: { b: { c: oneOf([1]) } } } }, 'strict'),
    ).toEqual([]);
  });

  it('refuses a plain object with $ keys anywhere inside a literal array in strict mode too', () => {
    expect(collectFilterIssues({ childIds: [{ $ne: 'x' }] as never }, 'strict')).toEqual([
      expect.objectContaining({ path: ['filter', 'childIds'] }),
    ]);
  });

  it('reports the filter itself when it is not an object', () => {
    expect(collectFilterIssues(['a'], 'legacy')).toEqual([
      expect.objectContaining({ path: ['filter'], code: 'invalid_filter' }),
    ]);
  });

  it('names the path the caller gives', () => {
    expect(collectFilterIssues({ status: 'NO' }, 'legacy', ['options', 'filter'])).toEqual([
      expect.objectContaining({ path: ['options', 'filter', 'status'] }),
    ]);
  });
});
