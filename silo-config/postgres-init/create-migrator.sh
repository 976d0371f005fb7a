#!/usr/bin/env bash
# Run once by the postgres image when it initialises an empty volume (/docker-entrypoint-initdb.d), as its superuser:
# creates the migrator role, which owns the orleanscqrs database and may create the silo and front-end roles. Its
# password comes from the secret made by scripts/make-secrets.sh: psql reads the file itself and quotes it into the
# statement (format %L), so it is never on a command line.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
CREATE ROLE orleanscqrs_migrator LOGIN CREATEROLE;
\set password `cat /run/secrets/migrator_password`
SELECT format('ALTER ROLE orleanscqrs_migrator PASSWORD %L', :'password') \gexec
CREATE DATABASE orleanscqrs OWNER orleanscqrs_migrator;
SQL
