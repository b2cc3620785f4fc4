#!/usr/bin/env bash
# Start PostgreSQL and Redis for the test suite on a Debian machine and make sure the database role
# the suite uses exists. Prints the two export lines `make test` evaluates:
#   DATABASE_URL=postgres://gongkai_test:…@127.0.0.1:5432/gongkai_test   REDIS_URL=redis://127.0.0.1:6379/15
#
# Works with Debian's default pg_hba.conf (peer on the socket, scram-sha-256 on 127.0.0.1): the role
# is created through the postgres OS account (runuser/sudo -u postgres psql over the Unix socket)
# with a password, and the suite then connects over TCP with that password. Needs root or sudo.
# The role may create databases (pytest-django creates test_<name>), extensions and roles (the
# least-privilege tests create the application role), hence SUPERUSER: it is the test owner only.
set -euo pipefail
export LANG=${LANG:-C.UTF-8} LC_ALL=${LC_ALL:-C.UTF-8}
ROLE=${GONGKAI_TEST_PGROLE:-gongkai_test}
PASS=${GONGKAI_TEST_PGPASSWORD:-gongkai_test}
DB=${GONGKAI_TEST_PGDATABASE:-gongkai_test}
PORT=${GONGKAI_TEST_PGPORT:-5432}
REDIS_DB=${GONGKAI_TEST_REDIS_DB:-15}
SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! pg_isready -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  cluster=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)
  if [ -n "$cluster" ]; then
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$cluster" main start >&2 || $SUDO pg_ctlcluster "$cluster" main start >&2 || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p "$PORT" || { echo "PostgreSQL does not answer on 127.0.0.1:$PORT" >&2; exit 1; }

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2 || true
  for _ in $(seq 1 10); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi

# Role and database, idempotent; over the Unix socket as the postgres OS user (peer auth).
as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres >&2 <<SQL
SELECT format('CREATE ROLE %I LOGIN SUPERUSER PASSWORD %L', '$ROLE', '$PASS')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE "$ROLE" LOGIN SUPERUSER PASSWORD '$PASS';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
              '$DB', '$ROLE', 'UTF8', 'C.UTF-8', 'C.UTF-8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB') \gexec
SQL
echo "DATABASE_URL=postgres://$ROLE:$PASS@127.0.0.1:$PORT/$DB"
echo "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/$REDIS_DB}"
