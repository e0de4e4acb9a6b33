import { describe, expect, it } from 'vitest';
import { allowedActions, roleAllows } from '../../dashboard/src/permissions';
import type { Principal, Role } from '../../dashboard/src/session';

const as = (role: Role | undefined, user = 'alice'): Principal => ({ user, role, services: [] });
const job = (status: string, user = 'alice') => ({ jobId: 'j1', user, status });

describe('roleAllows', () => {
  it.each(['admin', 'manager'] as const)('lets a %s act on anyone’s job', (role) => {
    expect(roleAllows(as(role), job('WORKING', 'bob'))).toBe(true);
  });

  it('lets a creator act on its own job', () => {
    expect(roleAllows(as('creator'), job('WORKING', 'alice'))).toBe(true);
  });

  it('keeps a creator off another user’s job', () => {
    expect(roleAllows(as('creator'), job('WORKING', 'bob'))).toBe(false);
  });

  it('lets a worker end no job, not even one of its services', () => {
    expect(roleAllows(as('worker'), job('WORKING', 'alice'))).toBe(false);
  });

  it('offers everything when the server knows no roles', () => {
    expect(roleAllows(undefined, job('WORKING', 'bob'))).toBe(true);
    expect(roleAllows(as(undefined), job('WORKING', 'bob'))).toBe(true);
  });
});

describe('allowedActions', () => {
  it.each([
    ['WAITING', ['abort']],
    ['WORKING', ['abort']],
    ['RETRYING', ['abort']],
    ['FAILED', ['retry', 'delete']],
    ['ABORTED', ['retry', 'delete']],
    ['UNRECOVERABLE', ['delete']],
    ['SUCCEEDED', ['delete']],
    ['SOMETHING_NEW', []],
  ])('offers on a %s job what the state machine allows: %j', (status, actions) => {
    expect(allowedActions(as('admin'), job(status))).toEqual(actions);
  });

  it('offers nothing where the role allows nothing, whatever the status', () => {
    expect(allowedActions(as('creator'), job('FAILED', 'bob'))).toEqual([]);
    expect(allowedActions(as('worker'), job('FAILED'))).toEqual([]);
  });
});
