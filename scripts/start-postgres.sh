#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster (installing nothing) and prints a DATABASE_URL for the test
# database, created when missing. Never dropped: every test run works in schemas of its own, so
# runs that share the cluster (two checkouts, a bench beside the tests) leave each other alone.
# Used by .ci/run; handy locally as: export DATABASE_URL=$(bash scripts/start-postgres.sh)
set -euo pipefail
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  pg_createcluster "$version" main >&2
  cluster="$version main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start >&2 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jss') THEN
    CREATE ROLE jss LOGIN PASSWORD 'jss';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE jss_test OWNER jss'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'jss_test') \gexec
SQL
echo "postgres://jss:jss@127.0.0.1:${port}/jss_test"
