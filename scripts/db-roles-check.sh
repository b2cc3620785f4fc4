#!/usr/bin/env bash
# Least privilege end to end (issue 8): a scratch database with the owner and the app role made by
# `gongkai db-roles`, the migrations run as the owner, then the demo region loaded (applications
# through their workflow, letters, published reports) and Django's checks run as the app role.
# Uses the postgres OS account like scripts/test-services.sh (peer auth on the socket); the two
# roles connect over TCP with their passwords. Needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=${LANG:-C.UTF-8} LC_ALL=${LC_ALL:-C.UTF-8}
DB=${GONGKAI_ROLES_DB:-gongkai_roles_check}
PORT=${GONGKAI_TEST_PGPORT:-5432}
UV=${UV:-$(command -v uv 2>/dev/null || echo "$HOME/.local/bin/uv")}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

export DATABASE_OWNER_URL="postgres://gongkai_check_owner:check-owner-pw@127.0.0.1:$PORT/$DB"
export DATABASE_URL="postgres://gongkai_check_app:check-app-pw@127.0.0.1:$PORT/$DB"
export CELERY_TASK_ALWAYS_EAGER=1 GONGKAI_LOG_LEVEL=WARNING GONGKAI_PRERENDER_REPORTS=0
export GONGKAI_SECRET_KEY=${GONGKAI_SECRET_KEY:-$(bash scripts/local-secret-key.sh)}
export GONGKAI_VAR_DIR=${GONGKAI_VAR_DIR:-$(mktemp -d)}

as_postgres psql -q -p "$PORT" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
  -c "CREATE DATABASE $DB ENCODING UTF8 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
"$UV" run gongkai db-roles --print-sql | as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d "$DB"
"$UV" run gongkai migrate --noinput -v0          # as the owner
"$UV" run gongkai load_demo --seed 2026          # as the app role
"$UV" run gongkai check
as_postgres psql -q -p "$PORT" -d postgres -c "DROP DATABASE $DB WITH (FORCE)"
echo "least privilege: migrations as the owner, demo region loaded as the app role: OK"
