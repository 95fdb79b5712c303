#!/bin/sh
# Creates what docker-compose.yml needs, once: secrets/db_password, secrets/encryption_key and three API
# keys (hr: enroll, door: identify, admin: admin). The keys are printed once; only their SHA-256 goes into
# .env, which docker compose reads. Re-running keeps existing files.
set -eu
cd "$(dirname "$0")/.."
# The folder is private to this user; the files inside must stay readable to the containers' own users
# (docker compose bind-mounts file secrets with their host owner and mode).
mkdir -p secrets
chmod 700 secrets
[ -f secrets/db_password ] || openssl rand -base64 24 | tr -d '\n' > secrets/db_password
[ -f secrets/encryption_key ] || openssl rand -base64 32 | tr -d '\n' > secrets/encryption_key
chmod 644 secrets/db_password secrets/encryption_key
umask 077
if [ -f .env ]; then
  echo ".env exists: keeping the API keys it names"
  exit 0
fi
: > .env
for pair in hr:enroll door:identify admin:admin; do
  id=${pair%%:*}
  role=${pair#*:}
  key="fr_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')"
  hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
  upper=$(echo "$id" | tr a-z A-Z)
  echo "${upper}_KEY_SHA256=$hash" >> .env
  echo "API key '$id' (role $role): $key"
done
echo "Keep these keys now: only their SHA-256 is stored (in .env)."
