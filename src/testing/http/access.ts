import {
  actionRefusal,
  claimRefusal,
  createRefusal,
  hiddenParentRefusal,
  inScope,
  mayEver,
  scopeOf,
  type Action,
  type Principal,
  type Role,
  type WireJob,
} from '#protocol';
import { isJsonObject } from '#protocol/json';
import { invalidBody, jobNotFound, ServiceError } from '../service-error';
import type { JobTable } from '../store/job-table';

/** Who a token of the kit stands for (see `JssHandlersOptions.tokens`). */
export interface KitTokenGrant {
  user: string;
  role: Role;
  /** The services a worker may read and update. @default [] */
  services?: readonly string[];
}

const REALM = 'Bearer realm="jss"';

/**
 * The caller of a request. Without `tokens` the kit is open, as the reference server's
 * `--auth none`: the `X-User-Id` user with every right. With them, as `--auth token`: a bearer
 * token from the map, else 401 with `WWW-Authenticate: Bearer`.
 *
 * @throws ServiceError `unauthorized`
 */
export function principalOf(
  request: Request,
  tokens: Readonly<Record<string, KitTokenGrant>> | undefined,
): Principal {
  if (tokens === undefined) {
    return { user: request.headers.get('X-User-Id') || 'anonymous', role: 'admin', services: [] };
  }
  const authorization = request.headers.get('Authorization');
  if (authorization === null) {
    throw new ServiceError('unauthorized', 401, 'Send Authorization: Bearer <token>', {
      'WWW-Authenticate': REALM,
    });
  }
  const token = /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
  const grant = token !== undefined && Object.hasOwn(tokens, token) ? tokens[token] : undefined;
  if (grant === undefined) {
    throw new ServiceError('unauthorized', 401, 'The token is unknown, revoked or expired', {
      'WWW-Authenticate': `${REALM}, error="invalid_token"`,
    });
  }
  return { user: grant.user, role: grant.role, services: [...(grant.services ?? [])] };
}

const forbidden = (message: string) => new ServiceError('forbidden', 403, message);

/** Whether `principal` may do `action` to `job` (the rule of `protocol/access.ts`). */
export function mayTouch(
  table: JobTable,
  principal: Principal,
  action: Action,
  job: WireJob,
): boolean {
  return inScope(scopeOf(principal, action), {
    user: job.user,
    service: typeof job.service === 'string' ? job.service : null,
    parentUser: table.parentUserOf(job),
  });
}

/**
 * Refuses `action` on a job as the reference server does: 403 when the role may never do it or
 * may read the job but not do this to it, 404 when the caller may not even read it (the same
 * answer as for a job that does not exist). A job that does not exist is left to the table.
 *
 * @throws ServiceError `forbidden`; ModelError `not_found`
 */
export function requireAccess(
  table: JobTable,
  principal: Principal,
  jobId: string,
  action: Action,
): void {
  if (!mayEver(principal, action)) throw forbidden(actionRefusal(principal, action));
  const stored = table.find(jobId);
  if (stored === undefined || mayTouch(table, principal, action, stored.doc)) return;
  if (action !== 'read' && mayTouch(table, principal, 'read', stored.doc)) {
    throw forbidden(actionRefusal(principal, action, 'this job'));
  }
  throw jobNotFound();
}

/**
 * Refuses a create whose `parent_id` names a job the caller may not read, as the reference
 * server does; a parent that does not exist is left alone.
 *
 * @throws ModelError `invalid_body`
 */
export function requireVisibleParent(table: JobTable, principal: Principal, body: unknown): void {
  if (!isJsonObject(body) || typeof body.parent_id !== 'string') return;
  const parent = table.find(body.parent_id);
  if (parent !== undefined && !mayTouch(table, principal, 'read', parent.doc)) {
    throw invalidBody(hiddenParentRefusal(body.parent_id));
  }
}

/**
 * Refuses a create that names an owner the caller may not create for.
 *
 * @throws ServiceError `forbidden`
 */
export function requireCreateAccess(principal: Principal, body: unknown): void {
  if (!isJsonObject(body) || typeof body.user !== 'string') return;
  const refusal = createRefusal(principal, body.user);
  if (refusal !== undefined) throw forbidden(refusal);
}

/**
 * Refuses a claim of `services` as the reference server does: admins claim any service, workers
 * the services they are granted, every other role nothing.
 *
 * @throws ServiceError `forbidden`
 */
export function requireClaimAccess(principal: Principal, services: readonly string[]): void {
  const refusal = claimRefusal(principal, services);
  if (refusal !== undefined) throw forbidden(refusal);
}
