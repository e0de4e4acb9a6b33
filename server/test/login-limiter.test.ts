// The bound on the memory of failed logins, which no HTTP test can reach in reasonable time.
import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../src/auth/login-limiter';

const options = { perUser: 1, perAddress: 100, windowMs: 60_000, maxTracked: 3 };

describe('LoginLimiter', () => {
  it('counts at most maxTracked user names and addresses', () => {
    const limiter = new LoginLimiter(options, () => 0);
    for (let i = 0; i < 10; i++) limiter.failed(`user-${i}`, undefined);
    expect(limiter.size).toBe(3);
  });

  it('forgets the oldest count first when full', () => {
    const limiter = new LoginLimiter(options, () => 0);
    for (let i = 0; i < 4; i++) limiter.failed(`user-${i}`, undefined);
    expect(() => limiter.check('user-0', undefined)).not.toThrow();
    expect(() => limiter.check('user-3', undefined)).toThrow('Too many failed logins');
  });
});
