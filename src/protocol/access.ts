// Who may do what to which job: the one definition of roles and visibility, shared by the
// reference server (which renders a scope as SQL) and the testing kit (which evaluates it on
// jobs in memory).

/** The roles a token (or a password login) carries. */
export const ROLES = ['admin', 'manager', 'creator', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: set once per request from its token (or from the trusted header). */
export interface Principal {
  user: string;
  role: Role;
  /** The services a worker may read and update; empty for the other roles. */
  services: readonly string[];
  /** The public id of the token the request came with; none for `--auth header`/`none`. */
  tokenId?: string;
}

/** What a request does. Progress and logs are updates; `claim` is for the work queue. */
export const ACTIONS = [
  'create',
  'read',
  'update',
  'abort',
  'retry',
  'delete',
  'claim',
  'manage_tokens',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Which jobs an action may touch: `any` job, the caller's `own` jobs (and the children of its
 * jobs: those whose `parent_id` names one of them), jobs of the caller's `services`, or `none`.
 */
export type Reach = 'any' | 'own' | 'services' | 'none';

/** The policy: role × action. Everything not listed here is refused. */
export const POLICY: Readonly<Record<Role, Readonly<Record<Action, Reach>>>> = {
  admin: {
    create: 'any',
    read: 'any',
    update: 'any',
    abort: 'any',
    retry: 'any',
    delete: 'any',
    claim: 'any',
    manage_tokens: 'any',
  },
  manager: {
    create: 'own',
    read: 'any',
    update: 'own',
    abort: 'any',
    retry: 'any',
    delete: 'any',
    claim: 'none',
    manage_tokens: 'none',
  },
  creator: {
    create: 'own',
    read: 'own',
    update: 'own',
    abort: 'own',
    retry: 'own',
    delete: 'own',
    claim: 'none',
    manage_tokens: 'none',
  },
  worker: {
    create: 'none',
    read: 'services',
    update: 'services',
    abort: 'none',
    retry: 'none',
    delete: 'none',
    claim: 'services',
    manage_tokens: 'none',
  },
};

/** The jobs one principal may touch with one action, in a form SQL and memory both evaluate. */
export type JobScope =
  | { kind: 'all' }
  | { kind: 'nothing' }
  /** Jobs of `user`, and jobs whose parent is a job of `user`. */
  | { kind: 'owner'; user: string }
  | { kind: 'services'; services: readonly string[] };

/** The scope of `action` for `principal`. */
export function scopeOf(principal: Principal, action: Action): JobScope {
  const reach = POLICY[principal.role][action];
  switch (reach) {
    case 'any':
      return { kind: 'all' };
    case 'own':
      return { kind: 'owner', user: principal.user };
    case 'services':
      return principal.services.length === 0
        ? { kind: 'nothing' }
        : { kind: 'services', services: principal.services };
    case 'none':
      return { kind: 'nothing' };
  }
}

/** What the scope rule looks at: the job's owner and service, and its parent's owner. */
export interface ScopedJob {
  user: string;
  service: string | null | undefined;
  /** The `user` of the job named by `parent_id`, when that job exists. */
  parentUser: string | null | undefined;
}

/** Whether `job` lies in `scope` (the in-memory reading of the rule the server renders as SQL). */
export function inScope(scope: JobScope, job: ScopedJob): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'nothing':
      return false;
    case 'owner':
      return job.user === scope.user || job.parentUser === scope.user;
    case 'services':
      return typeof job.service === 'string' && scope.services.includes(job.service);
  }
}

/** Whether the role may do `action` on some jobs at all (403 before any job is looked up). */
export const mayEver = (principal: Principal, action: Action): boolean =>
  POLICY[principal.role][action] !== 'none';

/**
 * Why a create is refused, or `undefined` when `principal` may create a job owned by `owner`.
 * Creators and managers create only as themselves; an admin as anyone; a worker not at all.
 */
export function createRefusal(principal: Principal, owner: string): string | undefined {
  const reach = POLICY[principal.role].create;
  if (reach === 'any') return undefined;
  if (reach === 'own') {
    return owner === principal.user
      ? undefined
      : `A ${principal.role} creates jobs only as itself: "user" must be ${JSON.stringify(principal.user)}`;
  }
  return `A ${principal.role} token cannot create jobs`;
}

/**
 * Why a create is refused whose `parent_id` names a job the caller may not read: a child of
 * someone else's job would be theirs to read, and `update_parent` would move their job.
 */
export const hiddenParentRefusal = (parentId: string): string =>
  `"parent_id" names job ${JSON.stringify(parentId)}, which the caller may not read`;

/**
 * Why a claim of jobs of `services` is refused, or `undefined` when `principal` may claim them:
 * an admin claims any service, a worker only services its token is granted (every one the claim
 * names), other roles none.
 */
export function claimRefusal(
  principal: Principal,
  services: readonly string[],
): string | undefined {
  if (!mayEver(principal, 'claim')) return actionRefusal(principal, 'claim');
  const scope = scopeOf(principal, 'claim');
  if (scope.kind === 'all') return undefined;
  const granted = scope.kind === 'services' ? scope.services : [];
  const refused = services.find((service) => !granted.includes(service));
  return refused === undefined
    ? undefined
    : `A ${principal.role} token may not claim jobs of service ${JSON.stringify(refused)}`;
}

/**
 * The message of a 403: the role may never do `action` (`job` absent), or not to this job, which
 * it may read.
 */
export function actionRefusal(principal: Principal, action: Action, job?: 'this job'): string {
  // `manage_tokens` names its own object; every other action is done to jobs.
  const what = action === 'manage_tokens' ? 'manage tokens' : `${action} jobs`;
  return job
    ? `A ${principal.role} token may not ${action} this job`
    : `A ${principal.role} token may not ${what}`;
}

/** Whether `value` names a role. */
export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
