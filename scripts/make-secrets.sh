#!/usr/bin/env bash
# Makes the secrets of the PostgreSQL cluster: random passwords of the database roles, the pgpass files the processes
# connect with, and the key that signs bearer tokens. Files that exist are kept (the database already knows those
# passwords); delete one and run `migrate` again to change it.
#
#   scripts/make-secrets.sh                 for docker compose: into .secrets/ in the repository (git-ignored)
#   scripts/make-secrets.sh DIR [MODE]      into DIR, files with MODE (scripts/local-cluster.sh: its state, 0600)
#
# The folder is 0700: only its owner reaches the files. For compose the files themselves are 0644, because compose
# bind-mounts each one into /run/secrets as it is on the host, and the processes in the containers run as other users
# (postgres, the .NET image's app user) that must read them.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/.secrets}
mode=${2:-0644}

command -v openssl >/dev/null || { echo "make-secrets: openssl is needed" >&2; exit 1; }
mkdir -p "$dir"
chmod 0700 "$dir"
umask 077

secret() { # file, command that prints the value
  local file=$dir/$1; shift
  [ -s "$file" ] || "$@" >"$file"
  chmod "$mode" "$file"
}

# Hex: nothing a connection string, a pgpass line or SQL would need to escape.
password() { openssl rand -hex 32; }

# A pgpass line for any host, port, database and user: each file is read by the processes of one role only.
pgpass() { printf '*:*:*:*:%s\n' "$(cat "$dir/$1")"; }

# postgres: the superuser (compose: POSTGRES_PASSWORD_FILE), only used to create the migrator and its database.
for role in postgres migrator silo frontend; do
  secret "${role}_password" password
  secret "${role}_pgpass" pgpass "${role}_password"
done
# OrleansCqrs:Auth:SigningKeyFile: 32 random bytes, base64, one line (HMAC-SHA256 of bearer tokens).
secret signing_key openssl rand -base64 32
echo "Secrets in $dir"
