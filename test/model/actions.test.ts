import { describe, expect, it } from 'vitest';
import {
  parentStatusFromChildren,
  planAction,
  shouldUpdateParent,
  type JobRecord,
} from '#protocol';

function job(status: string, extra: Record<string, unknown> = {}): JobRecord {
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

describe('shouldUpdateParent', () => {
  const child = job('WORKING', { job_id: 'c1', parent_id: 'p', update_parent: true });

  it('asks for a check when a child that set update_parent changes status', () => {
    expect(shouldUpdateParent(child, 'WAITING')).toBe(true);
  });

  it('asks for none when the status stayed the same', () => {
    expect(shouldUpdateParent(child, 'WORKING')).toBe(false);
  });

  it('asks for none when the child did not set update_parent, whatever its parent says', () => {
    expect(shouldUpdateParent({ ...child, update_parent: false }, 'WAITING')).toBe(false);
    expect(shouldUpdateParent({ ...child, update_parent: null }, 'WAITING')).toBe(false);
  });

  it('asks for none when the child names no parent', () => {
    expect(shouldUpdateParent({ ...child, parent_id: null }, 'WAITING')).toBe(false);
  });
});

describe('parentStatusFromChildren', () => {
  const parent = job('WAITING', { job_id: 'p', child_ids: ['c1', 'c2'] });

  function child(id: string, status: string): JobRecord {
    return { job_id: id, user: 'demo', status, parent_id: 'p' };
  }

  it('gives the parent the status every child shares', () => {
    expect(parentStatusFromChildren(parent, [child('c1', 'FAILED'), child('c2', 'FAILED')])).toBe(
      'FAILED',
    );
  });

  it.each(['WORKING', 'RETRYING', 'SUCCEEDED', 'SOMETHING_NEW'])(
    'moves the parent to a shared %s, terminal or not',
    (status) => {
      expect(parentStatusFromChildren(parent, [child('c1', status), child('c2', status)])).toBe(
        status,
      );
    },
  );

  it('leaves the parent alone while the children disagree', () => {
    expect(
      parentStatusFromChildren(parent, [child('c1', 'SUCCEEDED'), child('c2', 'FAILED')]),
    ).toBeUndefined();
  });

  it('waits for a listed child that does not exist yet', () => {
    expect(parentStatusFromChildren(parent, [child('c1', 'SUCCEEDED')])).toBeUndefined();
  });

  it('counts children that name the parent without being listed', () => {
    const children = [child('c1', 'WORKING'), child('c2', 'WORKING'), child('c3', 'FAILED')];
    expect(parentStatusFromChildren(parent, children)).toBeUndefined();
  });

  it('moves a parent without child_ids by the children that name it', () => {
    const lone = { ...parent, child_ids: null };
    expect(parentStatusFromChildren(lone, [child('c3', 'BLOCKED')])).toBe('BLOCKED');
  });

  it('moves a parent that has ended already (any status)', () => {
    const ended = { ...parent, status: 'SUCCEEDED' };
    expect(
      parentStatusFromChildren(ended, [child('c1', 'RETRYING'), child('c2', 'RETRYING')]),
    ).toBe('RETRYING');
  });

  it('changes nothing when the parent has the shared status already', () => {
    expect(
      parentStatusFromChildren(parent, [child('c1', 'WAITING'), child('c2', 'WAITING')]),
    ).toBeUndefined();
  });
});
