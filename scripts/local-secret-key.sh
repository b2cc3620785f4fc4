#!/usr/bin/env bash
# Prints this machine's local secret key for `make demo`, `make bench`, `make roles-check` and
# `make fuzz`, generating it on first use into var/local-secret-key (git-ignored, mode 0600).
# Production sets GONGKAI_SECRET_KEY itself (README → Production); gongkai has no built-in key.
set -euo pipefail
cd "$(dirname "$0")/.."
file=var/local-secret-key
if [ ! -s "$file" ]; then
  mkdir -p var
  (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > "$file")
fi
cat "$file"
