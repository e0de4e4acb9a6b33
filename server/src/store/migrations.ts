import type { Db } from './db';

/** One step of the schema; applied once, in order, in one transaction with its bookkeeping. */
interface Migration {
  version: number;
  description: string;
  statements: readonly string[];
}

/** The most `null`s one array index may add to an array before it (a guard against huge padding). */
export const MAX_ARRAY_PADDING = 10_000;

/** SQLSTATE that `jss_set_path` raises for an array index beyond `MAX_ARRAY_PADDING`. */
export const ARRAY_INDEX_TOO_LARGE = 'JSS01';

/** Any fixed number: every instance that migrates the same database takes the same lock. */
const MIGRATION_LOCK = 7_415_001;

// Text columns use the "C" collation so that ordering is by code point, the same on every
// server whatever its locale (and the same as the SDK's in-memory model).
const CREATE_TABLES: readonly string[] = [
  `CREATE SEQUENCE jss_stamp`,
  `CREATE TABLE jss_clock (
     id int PRIMARY KEY CHECK (id = 1),
     last_created timestamptz NOT NULL
   )`,
  `INSERT INTO jss_clock (id, last_created) VALUES (1, '-infinity')`,
  `CREATE TABLE jobs (
     job_id text COLLATE "C" PRIMARY KEY,
     user_name text COLLATE "C" NOT NULL,
     status text COLLATE "C" NOT NULL,
     job_name text COLLATE "C",
     service text COLLATE "C",
     current_host text COLLATE "C",
     current_stage text COLLATE "C",
     origination_host text COLLATE "C",
     parent_id text COLLATE "C",
     child_ids text[] COLLATE "C",
     update_parent boolean NOT NULL DEFAULT false,
     service_fields jsonb NOT NULL DEFAULT '{}',
     progress jsonb,
     logs jsonb NOT NULL DEFAULT '[]',
     created timestamptz NOT NULL,
     modified timestamptz NOT NULL,
     stamp bigint NOT NULL,
     created_stamp bigint NOT NULL,
     create_hash text NOT NULL
   )`,
  `CREATE INDEX jobs_user_idx ON jobs (user_name, created, job_id)`,
  `CREATE INDEX jobs_status_idx ON jobs (status)`,
  `CREATE INDEX jobs_parent_idx ON jobs (parent_id)`,
  `CREATE INDEX jobs_modified_idx ON jobs (modified)`,
  `CREATE INDEX jobs_created_idx ON jobs (created, job_id)`,
  `CREATE UNIQUE INDEX jobs_stamp_idx ON jobs (stamp)`,
  `CREATE TABLE job_deletions (
     stamp bigint PRIMARY KEY,
     job_id text COLLATE "C" NOT NULL,
     user_name text COLLATE "C" NOT NULL
   )`,
  `CREATE INDEX job_deletions_user_idx ON job_deletions (user_name, stamp)`,
  `CREATE INDEX job_deletions_job_idx ON job_deletions (job_id, stamp)`,
  `CREATE TABLE idempotency_keys (
     user_name text NOT NULL,
     key text NOT NULL,
     method text NOT NULL,
     path text NOT NULL,
     body_hash text NOT NULL,
     status int NOT NULL,
     response text NOT NULL,
     created timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (user_name, key)
   )`,
  `CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created)`,
];

// The path functions are the server's definition of a service-field path (docs/protocol.md,
// "Patch semantics"): a canonical non-negative integer segment addresses an array element,
// anything else is an object key. `#>` alone would also accept "-1" on arrays.
const PATH_FUNCTIONS: readonly string[] = [
  `CREATE FUNCTION jss_get_path(doc jsonb, path text[]) RETURNS jsonb
   LANGUAGE plpgsql IMMUTABLE AS $$
   DECLARE
     node jsonb := doc;
     segment text;
   BEGIN
     FOREACH segment IN ARRAY path LOOP
       IF node IS NULL THEN
         RETURN NULL;
       ELSIF jsonb_typeof(node) = 'object' THEN
         node := node -> segment;
       ELSIF jsonb_typeof(node) = 'array' AND segment ~ '^(0|[1-9][0-9]{0,8})$' THEN
         node := node -> segment::int;
       ELSE
         RETURN NULL;
       END IF;
     END LOOP;
     RETURN node;
   END $$`,
  `CREATE FUNCTION jss_set_path(doc jsonb, path text[], value jsonb) RETURNS jsonb
   LANGUAGE plpgsql IMMUTABLE AS $$
   DECLARE
     head text;
     rest text[];
     len int;
     idx int;
   BEGIN
     IF coalesce(array_length(path, 1), 0) = 0 THEN
       RETURN value;
     END IF;
     head := path[1];
     rest := path[2:];
     IF jsonb_typeof(doc) = 'array' AND head ~ '^(0|[1-9][0-9]*)$' THEN
       len := jsonb_array_length(doc);
       IF char_length(head) > 9 THEN
         RAISE EXCEPTION 'array index % is too large', head USING ERRCODE = '${ARRAY_INDEX_TOO_LARGE}';
       END IF;
       idx := head::int;
       IF idx - len > ${MAX_ARRAY_PADDING} THEN
         RAISE EXCEPTION 'array index % is too large', head USING ERRCODE = '${ARRAY_INDEX_TOO_LARGE}';
       END IF;
       IF idx < len THEN
         RETURN jsonb_set(doc, ARRAY[head], jss_set_path(doc -> idx, rest, value));
       END IF;
       IF idx > len THEN
         doc := doc || (SELECT jsonb_agg(NULL::jsonb) FROM generate_series(1, idx - len));
       END IF;
       RETURN doc || jsonb_build_array(jss_set_path(NULL, rest, value));
     END IF;
     -- Whatever is in the way (missing, null, a scalar, an array under a key) becomes an object.
     IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
       doc := '{}'::jsonb;
     END IF;
     RETURN jsonb_set(doc, ARRAY[head], jss_set_path(doc -> head, rest, value));
   END $$`,
];

// lz4 decompresses several times faster than PostgreSQL's default pglz, and a filter on a service
// field reads the service_fields of every candidate job: in the bench's query, counting 1 500
// candidates took 2.0-2.9 ms instead of 3.7. A server built without lz4 (PGlite, or a PostgreSQL
// older than 14, where the statement does not parse) keeps pglz; EXECUTE defers the parse to
// where the handler catches it. The migration counts as applied either way, so a database moved
// to a server with lz4 keeps pglz until someone runs the ALTER by hand. Values stored before keep
// their compression until they are next written.
const LZ4_COMPRESSION: readonly string[] = [
  `DO $$ BEGIN
     EXECUTE 'ALTER TABLE jobs ALTER COLUMN service_fields SET COMPRESSION lz4, ALTER COLUMN logs SET COMPRESSION lz4';
   EXCEPTION WHEN feature_not_supported OR syntax_error THEN NULL;
   END $$`,
];

// Tokens are kept only as the SHA-256 of the token (the token itself is shown once, when made).
// A tombstone keeps what the visibility rule reads (service, the parent's owner), so that a
// resumed subscription shows a deletion exactly to those who could see the job.
const AUTH_TABLES: readonly string[] = [
  `CREATE TABLE tokens (
     id text COLLATE "C" PRIMARY KEY,
     user_name text COLLATE "C" NOT NULL,
     role text NOT NULL CHECK (role IN ('admin', 'manager', 'creator', 'worker')),
     services text[] COLLATE "C" NOT NULL DEFAULT '{}',
     hash text NOT NULL UNIQUE,
     created timestamptz NOT NULL DEFAULT now(),
     expires timestamptz,
     revoked timestamptz
   )`,
  `CREATE TABLE users (
     user_name text COLLATE "C" PRIMARY KEY,
     password_hash text NOT NULL,
     role text NOT NULL CHECK (role IN ('admin', 'manager', 'creator', 'worker')),
     services text[] COLLATE "C" NOT NULL DEFAULT '{}',
     updated timestamptz NOT NULL DEFAULT now()
   )`,
  `ALTER TABLE job_deletions ADD COLUMN service text COLLATE "C",
     ADD COLUMN parent_user text COLLATE "C"`,
];

/** Changes one transaction may make: the low bits of a stamp count them (see `CHANGE_FEED`). */
export const CHANGES_PER_TRANSACTION = 65_536;

/** SQLSTATE that `jss_next_stamp` raises when one transaction makes too many changes. */
export const TOO_MANY_CHANGES = 'JSS02';

/**
 * Stamps without a write lock (docs/architecture.md, "The change feed"): a stamp is the writing
 * transaction's id times `CHANGES_PER_TRANSACTION` plus the number of changes it made before,
 * counted in a transaction-local setting. Readers stop at `STAMP_FRONTIER`, below which every
 * transaction has ended, so a transaction that commits late can never be skipped.
 */
const CHANGE_FEED: readonly string[] = [
  `CREATE FUNCTION jss_next_stamp() RETURNS bigint
   LANGUAGE plpgsql VOLATILE AS $$
   DECLARE
     made int := coalesce(nullif(current_setting('jss.changes_made', true), ''), '0')::int;
   BEGIN
     IF made >= ${CHANGES_PER_TRANSACTION} THEN
       RAISE EXCEPTION 'one transaction may make at most % changes', ${CHANGES_PER_TRANSACTION}
         USING ERRCODE = '${TOO_MANY_CHANGES}';
     END IF;
     PERFORM set_config('jss.changes_made', (made + 1)::text, true);
     RETURN pg_current_xact_id()::text::bigint * ${CHANGES_PER_TRANSACTION} + made;
   END $$`,
  // The filters users send most: a user's jobs by status, a service's by status, children of a
  // parent (jobs_parent_idx already), and the change feed of one user.
  `CREATE INDEX jobs_user_status_idx ON jobs (user_name, status, created, job_id)`,
  `CREATE INDEX jobs_service_status_idx ON jobs (service, status, created, job_id)`,
  `CREATE INDEX jobs_user_stamp_idx ON jobs (user_name, stamp)`,
  // Containment is a necessary condition of equality at a key path, so filters on service fields
  // narrow their candidates through this index before the exact comparison reads the document.
  `CREATE INDEX jobs_service_fields_idx ON jobs USING gin (service_fields jsonb_path_ops)`,
];

// The work queue (docs/protocol.md, "Work queue"). A column left null reads as its default
// (priority 0, no run_at, no dependencies, 0 attempts), so jobs made before are work too. The
// claim index holds only the jobs waiting to run, in claim order within a service and status.
const WORK_QUEUE: readonly string[] = [
  `ALTER TABLE jobs ADD COLUMN priority int,
     ADD COLUMN run_at timestamptz,
     ADD COLUMN depends_on text[] COLLATE "C",
     ADD COLUMN retry jsonb,
     ADD COLUMN repeat jsonb,
     ADD COLUMN attempts int,
     ADD COLUMN last_error jsonb,
     ADD COLUMN worker_id text COLLATE "C",
     ADD COLUMN lease_ms int,
     ADD COLUMN lease_expires timestamptz,
     ADD COLUMN blocked_reason text COLLATE "C",
     ADD COLUMN repeat_of text COLLATE "C"`,
  `CREATE INDEX jobs_claim_idx ON jobs (service, status, (coalesce(priority, 0)) DESC, created, job_id)
     WHERE status IN ('WAITING', 'RETRYING')`,
  `CREATE INDEX jobs_leased_idx ON jobs (service, lease_expires) WHERE status = 'WORKING'`,
  `CREATE INDEX jobs_depends_on_idx ON jobs USING gin (depends_on)`,
];

// `n` stamps at once, the same ones `n` calls of `jss_next_stamp` would hand out one by one: the
// next `n` change counts of this transaction, so stamps keep their order argument. A batch of
// creates takes its stamps in one call instead of one plpgsql call per row.
const STAMP_RANGES: readonly string[] = [
  `CREATE FUNCTION jss_next_stamps(n int) RETURNS bigint
   LANGUAGE plpgsql VOLATILE AS $$
   DECLARE
     made int := coalesce(nullif(current_setting('jss.changes_made', true), ''), '0')::int;
   BEGIN
     IF n < 0 OR made + n > ${CHANGES_PER_TRANSACTION} THEN
       RAISE EXCEPTION 'one transaction may make at most % changes', ${CHANGES_PER_TRANSACTION}
         USING ERRCODE = '${TOO_MANY_CHANGES}';
     END IF;
     PERFORM set_config('jss.changes_made', (made + n)::text, true);
     RETURN pg_current_xact_id()::text::bigint * ${CHANGES_PER_TRANSACTION} + made;
   END $$`,
];

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'jobs, tombstones, idempotency keys, stamps',
    statements: CREATE_TABLES,
  },
  { version: 2, description: 'service-field path functions', statements: PATH_FUNCTIONS },
  { version: 3, description: 'lz4 for service fields and logs', statements: LZ4_COMPRESSION },
  { version: 4, description: 'tokens, password users, tombstone scope', statements: AUTH_TABLES },
  {
    version: 5,
    description: 'stamps from transaction ids; indexes for common filters',
    statements: CHANGE_FEED,
  },
  { version: 6, description: 'work queue: scheduling, leases, attempts', statements: WORK_QUEUE },
  { version: 7, description: 'stamps reserved several at a time', statements: STAMP_RANGES },
];

/**
 * The stamp below which every change is settled: `pg_snapshot_xmin` is the oldest transaction
 * still running as of the statement's snapshot, so every transaction with a smaller id has
 * committed (and is visible) or rolled back, and every later one gets a larger id.
 */
export const STAMP_FRONTIER = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${CHANGES_PER_TRANSACTION})`;

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

/**
 * Brings the schema up to date. Safe when several instances start at once: the advisory lock
 * makes them take turns, and each applies only what the previous one left undone.
 */
export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS jss_migrations (
         version int PRIMARY KEY,
         description text NOT NULL,
         applied timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM jss_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO jss_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
  });
}
