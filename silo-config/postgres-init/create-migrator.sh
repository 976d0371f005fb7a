#!/usr/bin/env bash
# Run once by the postgres image when it initialises an empty volume (/docker-entrypoint-initdb.d), as its superuser:
# creates the migrator role, which owns the orleanscqrs database and may create the silo and front-end roles. Its
# password comes from the secret made by scripts/make-secrets.sh, read here and never passed on a command line.
set -euo pipefail
password=$(cat /run/secrets/migrator_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE orleanscqrs_migrator LOGIN CREATEROLE PASSWORD '$password';
CREATE DATABASE orleanscqrs OWNER orleanscqrs_migrator;
SQL
