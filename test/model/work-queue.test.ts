import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDependencyState,
  claimJob,
  compareClaimOrder,
  completeJob,
  expireLease,
  failJob,
  isClaimable,
  isLeaseExpired,
  ModelError,
  nextCronTime,
  nextRepeatRun,
  normalizePriority,
  parseClaimBody,
  parseCron,
  parseFailBody,
  parseSchedulingRequest,
  planFailure,
  PRIORITY_LEVELS,
  requireLease,
  resolveDependencies,
  retryDelayMs,
  type JobRecord,
  type WireRetryPolicy,
} from '#protocol';
import { formatJssDate } from '#protocol/dates';

const NOW = new Date('2024-03-01T12:00:00.000Z');

function job(overrides: Record<string, unknown> = {}): JobRecord {
  return {
    job_id: 'a',
    user: 'demo',
    status: 'WAITING',
    service: 'upload',
    service_fields: {},
    created: '2024-03-01T11:00:00.000+0000',
    ...overrides,
  };
}

const retryPolicy = fc.record<WireRetryPolicy>({
  retries: fc.integer({ min: 0, max: 20 }),
  wait_ms: fc.integer({ min: 0, max: 3_600_000 }),
  backoff: fc.constantFrom('constant' as const, 'exponential' as const),
  max_wait_ms: fc.option(fc.integer({ min: 0, max: 7_200_000 }), { nil: null }),
  until: fc.constant(null),
});

const statusOf = (statuses: Record<string, string>) => (id: string) => statuses[id];

describe('priority', () => {
  it('maps the named levels so that a higher number is claimed first', () => {
    expect(['low', 'normal', 'medium', 'high', 'critical'].map(normalizePriority)).toEqual([
      -10, 0, 5, 10, 15,
    ]);
  });

  it('keeps integers and refuses fractions, unknown names and other types', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), (n) => {
        expect(normalizePriority(n)).toBe(n);
      }),
    );
    for (const bad of [1.5, 'urgent', '__proto__', null, true, 2 ** 31]) {
      expect(() => normalizePriority(bad)).toThrow(ModelError);
    }
  });
});

describe('claim order', () => {
  const arbitraryJob = fc.record({
    job_id: fc.string({ minLength: 1, maxLength: 4 }),
    priority: fc.constantFrom(...Object.values(PRIORITY_LEVELS), 3),
    created: fc
      .integer({ min: 0, max: 10_000 })
      .map((ms) => formatJssDate(new Date(NOW.getTime() + ms))),
  });

  it('is a total order: priority descending, then oldest, then job id', () => {
    fc.assert(
      fc.property(arbitraryJob, arbitraryJob, (left, right) => {
        const a = job(left);
        const b = job(right);
        const order = Math.sign(compareClaimOrder(a, b));
        expect(order).toBe(-Math.sign(compareClaimOrder(b, a)));
        if (a.priority !== b.priority) {
          expect(order).toBe((b.priority as number) > (a.priority as number) ? 1 : -1);
        }
      }),
    );
  });

  it('puts the higher priority first even when it is newer', () => {
    const old = job({ job_id: 'old', priority: 0, created: '2020-01-01T00:00:00.000Z' });
    const urgent = job({ job_id: 'urgent', priority: 10 });
    expect([old, urgent].sort(compareClaimOrder).map((j) => j.job_id)).toEqual(['urgent', 'old']);
  });
});

describe('claimable', () => {
  it('holds for WAITING and RETRYING jobs of the service whose time has come', () => {
    expect(isClaimable(job(), ['upload'], NOW, statusOf({}))).toBe(true);
    expect(isClaimable(job({ status: 'RETRYING' }), ['upload'], NOW, statusOf({}))).toBe(true);
  });

  it('fails for other statuses, other services, a future run_at, unmet dependencies', () => {
    const future = formatJssDate(new Date(NOW.getTime() + 1));
    const none = statusOf({ d: 'WORKING' });
    expect(isClaimable(job({ status: 'WORKING' }), ['upload'], NOW, none)).toBe(false);
    expect(isClaimable(job({ status: 'BLOCKED' }), ['upload'], NOW, none)).toBe(false);
    expect(isClaimable(job(), ['download'], NOW, none)).toBe(false);
    expect(isClaimable(job({ run_at: future }), ['upload'], NOW, none)).toBe(false);
    expect(isClaimable(job({ depends_on: ['d'] }), ['upload'], NOW, none)).toBe(false);
  });
});

describe('dependencies', () => {
  it('are ready when all succeeded, pending while one runs, blocked when one cannot succeed', () => {
    expect(resolveDependencies(['x', 'y'], statusOf({ x: 'SUCCEEDED', y: 'SUCCEEDED' }))).toEqual({
      state: 'ready',
    });
    expect(resolveDependencies(['x', 'y'], statusOf({ x: 'SUCCEEDED', y: 'RETRYING' }))).toEqual({
      state: 'pending',
    });
    for (const status of ['FAILED', 'UNRECOVERABLE', 'ABORTED', 'BLOCKED']) {
      expect(resolveDependencies(['x'], statusOf({ x: status }))).toEqual({
        state: 'blocked',
        reason: `Dependency x is ${status}`,
      });
    }
    expect(resolveDependencies(['gone'], statusOf({}))).toMatchObject({ state: 'blocked' });
  });

  it('block a waiting job with the reason and release it once they recover', () => {
    const blocked = applyDependencyState(job(), {
      state: 'blocked',
      reason: 'Dependency x is FAILED',
    });
    expect(blocked).toMatchObject({ status: 'BLOCKED', blocked_reason: 'Dependency x is FAILED' });
    expect(applyDependencyState(blocked as JobRecord, { state: 'pending' })).toMatchObject({
      status: 'WAITING',
      blocked_reason: null,
    });
  });

  it('leave alone a job that is running, ended, or BLOCKED by its own service', () => {
    const blocked = { state: 'blocked', reason: 'r' } as const;
    expect(applyDependencyState(job({ status: 'WORKING' }), blocked)).toBeUndefined();
    expect(applyDependencyState(job({ status: 'SUCCEEDED' }), blocked)).toBeUndefined();
    expect(applyDependencyState(job({ status: 'BLOCKED' }), { state: 'ready' })).toBeUndefined();
  });
});

describe('retry backoff', () => {
  it('is constant, or doubles per retry, and never exceeds max_wait_ms', () => {
    fc.assert(
      fc.property(retryPolicy, fc.integer({ min: 1, max: 40 }), (policy, attempt) => {
        const delay = retryDelayMs(policy, attempt);
        const uncapped =
          policy.backoff === 'constant' ? policy.wait_ms : policy.wait_ms * 2 ** (attempt - 1);
        expect(delay).toBe(Math.min(uncapped, policy.max_wait_ms ?? Infinity, 31_536_000_000));
      }),
    );
  });

  it('never shrinks from one retry to the next', () => {
    fc.assert(
      fc.property(retryPolicy, fc.integer({ min: 1, max: 40 }), (policy, attempt) => {
        expect(retryDelayMs(policy, attempt + 1)).toBeGreaterThanOrEqual(
          retryDelayMs(policy, attempt),
        );
      }),
    );
  });
});

describe('failing an attempt', () => {
  it('retries while attempts <= retries, at now + the backoff, then fails', () => {
    fc.assert(
      fc.property(retryPolicy, fc.integer({ min: 1, max: 25 }), (policy, attempts) => {
        const plan = planFailure(job({ retry: policy, attempts }), false, NOW);
        if (attempts <= policy.retries) {
          expect(plan.status).toBe('RETRYING');
          expect(plan.runAt?.getTime()).toBe(NOW.getTime() + retryDelayMs(policy, attempts));
        } else {
          expect(plan).toEqual({ status: 'FAILED', runAt: null });
        }
      }),
    );
  });

  it('is UNRECOVERABLE when fatal, whatever the policy', () => {
    fc.assert(
      fc.property(retryPolicy, (policy) => {
        expect(planFailure(job({ retry: policy, attempts: 1 }), true, NOW).status).toBe(
          'UNRECOVERABLE',
        );
      }),
    );
  });

  it('fails instead of retrying past the policy until', () => {
    const until = formatJssDate(new Date(NOW.getTime() + 999));
    const policy = { retries: 5, wait_ms: 1000, backoff: 'constant', max_wait_ms: null, until };
    expect(planFailure(job({ retry: policy, attempts: 1 }), false, NOW).status).toBe('FAILED');
  });

  it('records the last error and releases the lease', () => {
    const failed = failJob(
      job({ status: 'WORKING', attempts: 1, lease_expires: 'x' }),
      { message: 'boom' },
      false,
      NOW,
    );
    expect(failed).toMatchObject({
      status: 'FAILED',
      last_error: { message: 'boom' },
      lease_expires: null,
    });
  });
});

describe('leases', () => {
  const claimed = claimJob(job(), { workerId: 'w1', leaseMs: 30_000 }, NOW);

  it('are given by a claim: WORKING, one more attempt, the worker and the deadline', () => {
    expect(claimed).toMatchObject({
      status: 'WORKING',
      attempts: 1,
      worker_id: 'w1',
      lease_ms: 30_000,
      lease_expires: '2024-03-01T12:00:30.000+0000',
    });
  });

  it('expire at their deadline and count as a failed attempt', () => {
    const later = new Date(NOW.getTime() + 30_000);
    expect(isLeaseExpired(claimed, new Date(later.getTime() - 1))).toBe(false);
    expect(isLeaseExpired(claimed, later)).toBe(true);
    expect(expireLease(claimed, later)).toMatchObject({
      status: 'FAILED',
      last_error: { code: 'lease_expired' },
    });
  });

  it('refuse another worker, an expired lease and a job that is not WORKING with not_claimed', () => {
    const later = new Date(NOW.getTime() + 30_000);
    for (const [holder, at, doc] of [
      ['w2', NOW, claimed],
      ['w1', later, claimed],
      ['w1', NOW, completeJob(claimed, undefined)],
    ] as const) {
      const error = (() => {
        try {
          requireLease(doc, holder, at);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toMatchObject({ code: 'not_claimed', status: 409 });
    }
  });
});

describe('completing', () => {
  it('keeps the result in service_fields.result', () => {
    const done = completeJob(job({ status: 'WORKING', service_fields: { a: 1 } }), { files: 3 });
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      service_fields: { a: 1, result: { files: 3 } },
    });
  });
});

describe('repeat', () => {
  it('makes the next run after wait_ms with one repeat fewer, without the result', () => {
    const repeat = { repeats: 2, wait_ms: 60_000, schedule: null, until: null };
    const done = completeJob(job({ status: 'WORKING', repeat }), 'ok');
    expect(nextRepeatRun(done, NOW)).toMatchObject({
      status: 'WAITING',
      service: 'upload',
      service_fields: {},
      run_at: '2024-03-01T12:01:00.000+0000',
      repeat: { repeats: 1 },
      repeat_of: 'a',
    });
  });

  it('stops when the repeats are used up or the next time is past until', () => {
    expect(
      nextRepeatRun(job({ repeat: { repeats: 0, wait_ms: 1, schedule: null, until: null } }), NOW),
    ).toBeUndefined();
    const until = formatJssDate(new Date(NOW.getTime() + 59_999));
    expect(
      nextRepeatRun(
        job({ repeat: { repeats: null, wait_ms: 60_000, schedule: null, until } }),
        NOW,
      ),
    ).toBeUndefined();
  });

  it('follows a cron schedule', () => {
    const repeat = { repeats: null, wait_ms: null, schedule: '30 3 * * *', until: null };
    expect(nextRepeatRun(job({ repeat }), NOW)?.run_at).toBe('2024-03-02T03:30:00.000+0000');
  });
});

describe('cron', () => {
  /** The first matching minute after `after`, found by walking minute by minute. */
  function bruteForce(expression: string, after: Date, limitMinutes: number): number | undefined {
    const schedule = parseCron(expression);
    const start = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
    for (let t = start; t < start + limitMinutes * 60_000; t += 60_000) {
      const d = new Date(t);
      const domOk = schedule.daysOfMonth.has(d.getUTCDate());
      const dowOk = schedule.daysOfWeek.has(d.getUTCDay());
      const dayOk =
        schedule.domRestricted && schedule.dowRestricted ? domOk || dowOk : domOk && dowOk;
      if (
        schedule.minutes.includes(d.getUTCMinutes()) &&
        schedule.hours.includes(d.getUTCHours()) &&
        schedule.months.has(d.getUTCMonth() + 1) &&
        dayOk
      ) {
        return t;
      }
    }
    return undefined;
  }

  const field = (min: number, max: number) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc
        .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
        .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 1, max: 7 }).map((step) => `*/${step}`),
    );
  const expression = fc
    .tuple(field(0, 59), field(0, 23), field(1, 28), fc.constant('*'), field(0, 6))
    .map((parts) => parts.join(' '));

  it('answers the first matching minute strictly after the given time', () => {
    fc.assert(
      fc.property(expression, fc.integer({ min: 0, max: 400 * 86_400_000 }), (cron, offset) => {
        const after = new Date(Date.UTC(2024, 0, 1) + offset);
        const expected = bruteForce(cron, after, 62 * 24 * 60);
        if (expected !== undefined)
          expect(nextCronTime(parseCron(cron), after)?.getTime()).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses expressions that are not 5 fields of numbers, ranges, lists and steps', () => {
    for (const bad of [
      '* * * *',
      '60 * * * *',
      '* 24 * * *',
      '*/0 * * * *',
      'a * * * *',
      '5-1 * * * *',
    ]) {
      expect(() => parseCron(bad)).toThrow(/Invalid cron schedule/);
    }
  });

  it('refuses a schedule that never matches', () => {
    expect(() => parseCron('0 0 30 2 *')).toThrow('it never runs');
  });
});

describe('request bodies', () => {
  it('fill the claim defaults and accept one service or several', () => {
    expect(parseClaimBody({ service: 'upload', worker_id: 'w' })).toEqual({
      services: ['upload'],
      limit: 1,
      leaseMs: 30_000,
      workerId: 'w',
      waitMs: 0,
    });
    expect(parseClaimBody({ service: ['a', 'b'], worker_id: 'w', limit: 5 }).services).toEqual([
      'a',
      'b',
    ]);
  });

  it.each([
    [{ service: 'x' }, 'worker_id'],
    [{ service: [], worker_id: 'w' }, 'service'],
    [{ service: 'x', worker_id: 'w', limit: 0 }, 'limit'],
    [{ service: 'x', worker_id: 'w', lease_ms: 10 }, 'lease_ms'],
    [{ service: 'x', worker_id: 'w', wait_ms: 60_001 }, 'wait_ms'],
    [{ service: 'x', worker_id: 'w', extra: 1 }, 'extra'],
  ])('refuse the claim %j naming %s', (body, field) => {
    expect(() => parseClaimBody(body)).toThrow(field);
  });

  it('need a fail error with a message', () => {
    expect(() => parseFailBody({ worker_id: 'w', error: {} })).toThrow('"error"');
    expect(parseFailBody({ worker_id: 'w', error: { message: 'x', code: 7 } })).toEqual({
      workerId: 'w',
      error: { message: 'x', code: 7 },
      fatal: false,
    });
  });

  it('validate the scheduling fields of a create, naming the field', () => {
    expect(
      parseSchedulingRequest({ priority: 'high', delay_ms: 5, depends_on: ['x', 'x'] }),
    ).toEqual({
      priority: 10,
      delayMs: 5,
      dependsOn: ['x'],
    });
    expect(() => parseSchedulingRequest({ run_at: '2024-01-01T00:00:00Z', delay_ms: 1 })).toThrow(
      'not both',
    );
    expect(() => parseSchedulingRequest({ retry: { wait_ms: 1 } })).toThrow('retry.retries');
    expect(() => parseSchedulingRequest({ repeat: { repeats: 1 } })).toThrow('exactly one');
    expect(() => parseSchedulingRequest({ repeat: { schedule: 'nope' } })).toThrow('cron');
  });
});
