import { describe, expect, it } from 'vitest';
import { parentOutcome, planAction, type WireJob } from '../../src/internal/model';

function job(status: string, extra: Record<string, unknown> = {}): WireJob {
  return { job_id: `job-${status}`, user: 'demo', status, ...extra };
}

describe('planAction', () => {
  it.each(['WAITING', 'BLOCKED', 'WORKING', 'RETRYING'])(
    'aborts a %s job into ABORTED',
    (status) => {
      expect(planAction(job(status), 'abort')).toEqual({ ok: true, status: 'ABORTED' });
    },
  );

  it('leaves an ABORTED job unchanged on abort', () => {
    expect(planAction(job('ABORTED'), 'abort')).toEqual({ ok: true });
  });

  it.each(['SUCCEEDED', 'FAILED', 'UNRECOVERABLE', 'SOMETHING_NEW'])(
    'refuses to abort a %s job with invalid_transition (409)',
    (status) => {
      const plan = planAction(job(status), 'abort');
      expect(plan.ok).toBe(false);
      if (plan.ok) return;
      expect([plan.error.code, plan.error.status]).toEqual(['invalid_transition', 409]);
      expect(plan.error.message).toContain(status);
    },
  );

  it.each(['FAILED', 'ABORTED'])('retries a %s job into RETRYING', (status) => {
    expect(planAction(job(status), 'retry')).toEqual({ ok: true, status: 'RETRYING' });
  });

  it.each(['UNRECOVERABLE', 'SUCCEEDED', 'WORKING', 'RETRYING', 'SOMETHING_NEW'])(
    'refuses to retry a %s job',
    (status) => {
      const plan = planAction(job(status), 'retry');
      expect(plan.ok ? undefined : plan.error.code).toBe('invalid_transition');
    },
  );

  it.each(['SUCCEEDED', 'FAILED', 'UNRECOVERABLE', 'ABORTED'])('deletes a %s job', (status) => {
    expect(planAction(job(status), 'delete')).toEqual({ ok: true });
  });

  it.each(['WAITING', 'BLOCKED', 'WORKING', 'RETRYING', 'SOMETHING_NEW'])(
    'refuses to delete a %s job',
    (status) => {
      const plan = planAction(job(status), 'delete');
      expect(plan.ok ? undefined : plan.error.code).toBe('invalid_transition');
    },
  );
});

describe('parentOutcome', () => {
  const parent = job('WAITING', { job_id: 'p', update_parent: true, child_ids: ['c1', 'c2'] });

  function child(id: string, status: string): WireJob {
    return { job_id: id, user: 'demo', status, parent_id: 'p' };
  }

  it('moves the parent to SUCCEEDED when every child succeeded', () => {
    expect(parentOutcome(parent, [child('c1', 'SUCCEEDED'), child('c2', 'SUCCEEDED')])).toBe(
      'SUCCEEDED',
    );
  });

  it.each(['FAILED', 'UNRECOVERABLE', 'ABORTED'])(
    'moves the parent to FAILED when a child ended %s',
    (status) => {
      expect(parentOutcome(parent, [child('c1', 'SUCCEEDED'), child('c2', status)])).toBe('FAILED');
    },
  );

  it('leaves the parent while a child is still in progress', () => {
    expect(
      parentOutcome(parent, [child('c1', 'SUCCEEDED'), child('c2', 'WORKING')]),
    ).toBeUndefined();
  });

  it('leaves the parent while a listed child does not exist', () => {
    expect(parentOutcome(parent, [child('c1', 'SUCCEEDED')])).toBeUndefined();
  });

  it('ignores jobs the parent does not list', () => {
    const children = [child('c1', 'SUCCEEDED'), child('c2', 'SUCCEEDED'), child('other', 'FAILED')];
    expect(parentOutcome(parent, children)).toBe('SUCCEEDED');
  });

  it('leaves a parent without update_parent: true', () => {
    const children = [child('c1', 'SUCCEEDED'), child('c2', 'SUCCEEDED')];
    expect(parentOutcome({ ...parent, update_parent: false }, children)).toBeUndefined();
    expect(parentOutcome({ ...parent, update_parent: null }, children)).toBeUndefined();
  });

  it('leaves a parent that has already ended', () => {
    const children = [child('c1', 'SUCCEEDED'), child('c2', 'SUCCEEDED')];
    expect(parentOutcome({ ...parent, status: 'ABORTED' }, children)).toBeUndefined();
  });

  it('leaves a parent that lists no children', () => {
    expect(parentOutcome({ ...parent, child_ids: [] }, [child('c1', 'SUCCEEDED')])).toBeUndefined();
    expect(
      parentOutcome({ ...parent, child_ids: null }, [child('c1', 'SUCCEEDED')]),
    ).toBeUndefined();
  });
});
