import { describe, expect, it } from 'vitest';
import { filterOf, pageOptionsOf } from '../../dashboard/src/query';
import { DEFAULT_LIST, formatRoute, parseRoute, type ListState } from '../../dashboard/src/route';

describe('the address of a view', () => {
  it('reads and writes every field of the list', () => {
    const list: ListState = {
      user: 'alice smith',
      service: 'uploader',
      name: 'plate&42',
      statuses: ['WORKING', 'FAILED'],
      sort: 'modified',
      descending: false,
      page: 3,
      pageSize: 50,
    };
    const hash = formatRoute({ view: 'list', list });
    expect(parseRoute(hash)).toEqual({ view: 'list', list });
  });

  it('leaves the defaults out', () => {
    expect(formatRoute({ view: 'list', list: DEFAULT_LIST })).toBe('#/');
  });

  it('reads a job id with characters that need escaping', () => {
    const hash = formatRoute({ view: 'job', jobId: 'a/b?c#d' });
    expect(hash).toBe('#/job/a%2Fb%3Fc%23d');
    expect(parseRoute(hash)).toEqual({ view: 'job', jobId: 'a/b?c#d' });
  });

  it('falls back to the defaults for values it does not know', () => {
    const route = parseRoute('#/?status=WORKING,NOPE&sort=-password&page=-2&size=7');
    expect(route).toEqual({ view: 'list', list: { ...DEFAULT_LIST, statuses: ['WORKING'] } });
  });
});

describe('the query of the list', () => {
  it('matches the name by prefix and the other fields exactly', () => {
    const list = { ...DEFAULT_LIST, user: ' alice ', service: 'copier', name: 'copy ' };
    expect(filterOf(list)).toEqual({
      user: { $eq: 'alice' },
      service: { $eq: 'copier' },
      jobName: { $gte: 'copy ', $lt: 'copy \u{10FFFF}' },
    });
  });

  it('filters statuses with $in, and leaves them out for the counts', () => {
    const list = { ...DEFAULT_LIST, statuses: ['FAILED', 'ABORTED'] as const };
    expect(filterOf(list).status).toEqual({ $in: ['FAILED', 'ABORTED'] });
    expect(filterOf(list, false)).toEqual({});
  });

  it('pages by offset and breaks ties of the order by job id', () => {
    const list = { ...DEFAULT_LIST, page: 3, pageSize: 10, sort: 'jobName' as const };
    expect(pageOptionsOf(list)).toEqual({ limit: 10, offset: 20, sort: '-jobName,-jobId' });
  });
});
