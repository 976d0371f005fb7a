#!/usr/bin/env bash
# The docker-compose cluster on this machine, without Docker: a private PostgreSQL, silos 1-3 and a front end on
# http://127.0.0.1:5080, everything on 127.0.0.1 and configured by the same silo-config/*.env files.
#
#   scripts/local-cluster.sh start        build, start PostgreSQL, silos 1-3 and the front end; wait until all are ready
#   scripts/local-cluster.sh status       one line per process: pid, running or not, ready or not
#   scripts/local-cluster.sh kill N       SIGKILL silo N (a crash: no goodbye to the cluster)
#   scripts/local-cluster.sh term N       SIGTERM silo N (a graceful stop) and wait until it has exited
#   scripts/local-cluster.sh restart N    stop silo N if it runs, start it again and wait until it is ready
#   scripts/local-cluster.sh stop         stop everything it started; nothing is left running
#   scripts/local-cluster.sh token operator | token customer ID
#                                          print a bearer token (valid 1 h) the front end accepts; with
#                                          LOCAL_CLUSTER_SIGNING_KEY=.secrets/signing_key, one the Docker cluster accepts
#   scripts/local-cluster.sh destroy      stop, then delete the database and the state folder
#
# Silos and the front end talk mutual TLS: `start` makes a CA and certificates in the state folder (certs/) unless
# they exist, with scripts/cluster-certs.sh.
#
# Environment: LOCAL_CLUSTER_DIR (state: secrets, certificates, logs, pids; default .local-cluster in the repository),
# LOCAL_CLUSTER_PG_PORT (default 55432), LOCAL_CLUSTER_CONFIGURATION (build configuration, default Release),
# LOCAL_CLUSTER_NO_BUILD=1 (use what is built already), LOCAL_CLUSTER_PG_PARENT (where the database folder is made,
# default /var/tmp), LOCAL_CLUSTER_LAYOUT (at start: `all`, the default, every silo of role all; or `split`, silo 1 of
# role write and silos 2-3 of role read, docs/cluster.md "Silo roles"; a restart keeps the layout it started with).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${LOCAL_CLUSTER_DIR:-$repo/.local-cluster}
pg_port=${LOCAL_CLUSTER_PG_PORT:-55432}
configuration=${LOCAL_CLUSTER_CONFIGURATION:-Release}
pg_bin=/usr/lib/postgresql/15/bin
silos=(1 2 3)
frontend_url=http://127.0.0.1:5080
secrets=$state/secrets

silo_dll=$repo/src/OrleansCqrs.Silo/bin/$configuration/net10.0/OrleansCqrs.Silo.dll
api_dll=$repo/src/OrleansCqrs.Api/bin/$configuration/net10.0/OrleansCqrs.Api.dll
certs=$state/certs

fail() { echo "local-cluster: $*" >&2; exit 1; }

# initdb and the server refuse to run as root: as root they run as the postgres user on a folder it owns.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The layout the cluster was started with (recorded by start), and the role it gives silo N.
layout() { cat "$state/layout" 2>/dev/null || echo all; }

role_of() {
  if [ "$(layout)" = split ]; then
    if [ "$1" -eq 1 ]; then echo write; else echo read; fi
  else
    echo all
  fi
}

health_url() { # silo N -> its health endpoint; "frontend" -> the front end's
  if [ "$1" = frontend ]; then echo "$frontend_url"; else echo "http://127.0.0.1:$((8080 + $1))"; fi
}

pid_of() { # prints the pid of a running component, or nothing
  local file=$state/$1.pid
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file" || true
}

ready() { curl -fsS -m 2 "$(health_url "$1")/health/ready" >/dev/null 2>&1; }

wait_ready() { # name, deadline in seconds
  local name=$1 deadline=$((SECONDS + $2))
  until ready "$name"; do
    [ -n "$(pid_of "$name")" ] || fail "$name exited before it was ready; see $state/$name.log"
    [ $SECONDS -lt $deadline ] || fail "$name was not ready within $2 s; see $state/$name.log"
    sleep 0.5
  done
}

wait_exit() { # pid, deadline in seconds; returns 1 if it still runs
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

build() {
  [ "${LOCAL_CLUSTER_NO_BUILD:-}" = 1 ] && return
  echo "Building ($configuration)..."
  dotnet build "$repo/src/OrleansCqrs.Silo" -c "$configuration" -v q -nologo >"$state/build.log" 2>&1 \
    && dotnet build "$repo/src/OrleansCqrs.Api" -c "$configuration" -v q -nologo >>"$state/build.log" 2>&1 \
    || fail "the build failed; see $state/build.log"
}

# --- The database and its secrets -------------------------------------------------------------------------------
# Passwords and the token signing key are generated into $secrets (0700, files 0600) by scripts/make-secrets.sh.
# PostgreSQL runs with password authentication (scram-sha-256) over TCP; each process connects as its role (the
# same silo-config/*.env files as compose, pointed at this server and these secret files).

make_secrets() { bash "$repo/scripts/make-secrets.sh" "$secrets" 0600 >/dev/null; }

# The database folder lies outside the checkout, where the postgres user can reach it whatever the checkout's
# parents allow (a clone under /root is 0700); its path is recorded in the state folder.
pg_folder() {
  local folder
  folder=$(cat "$state/pg-folder" 2>/dev/null || true)
  if [ -z "$folder" ] || [ ! -d "$folder" ]; then
    folder=$(mktemp -d "${LOCAL_CLUSTER_PG_PARENT:-/var/tmp}/orleanscqrs-pg.XXXXXX") # 0700
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$folder"
    echo "$folder" >"$state/pg-folder"
  fi
  echo "$folder"
}

pg_running() {
  local folder
  folder=$(cat "$state/pg-folder" 2>/dev/null || true)
  [ -n "$folder" ] && as_pg "$pg_bin/pg_ctl" -D "$folder/data" status >/dev/null 2>&1
}

# A value of a silo-config file as the processes see it here: host `postgres` and port 5432 are this server, the
# secrets compose mounts at /run/secrets are the files in $secrets.
localize() { sed -e "s|Host=postgres|Host=127.0.0.1|" -e "s|Port=5432|Port=$pg_port|" -e "s|/run/secrets/|$secrets/|g" <<<"$1"; }

config_value() { # env file, variable
  (set -a; . "$repo/silo-config/$1"; set +a; localize "${!2:-}")
}

# The migrator role and its database, from the migration's connection string.
connection_part() { config_value cluster-migrate.env OrleansCqrs__PostgresConnectionString | tr ';' '\n' | sed -n "s/^$1=//p"; }

start_postgres() {
  pg_running && return
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL 15 is not installed ($pg_bin)"
  local folder; folder=$(pg_folder)
  if [ ! -f "$folder/data/PG_VERSION" ]; then
    # initdb runs as the postgres user, which may not reach $secrets: it reads a copy in its own folder.
    install -m 0600 "$secrets/postgres_password" "$folder/pwfile"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$folder/pwfile"
    as_pg "$pg_bin/initdb" -D "$folder/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --pwfile="$folder/pwfile" -E UTF8 --no-instructions >"$state/initdb.log" 2>&1 \
      || { rm -f "$folder/pwfile"; fail "initdb failed; see $state/initdb.log"; }
    rm -f "$folder/pwfile"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-p $pg_port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || fail "PostgreSQL did not start; see $folder/server.log"
  create_migrator
}

# As the superuser, once: the migrator role (it may create roles) and the database it owns. The password goes
# through psql's standard input, never a command line.
create_migrator() {
  PGPASSFILE=$secrets/postgres_pgpass "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qtA \
    -v ON_ERROR_STOP=1 -v role="$(connection_part Username)" -v db="$(connection_part Database)" >/dev/null <<SQL \
    || fail "could not create the migrator role and its database"
\set password \`cat '$secrets/migrator_password'\`
SELECT format('CREATE ROLE %I LOGIN CREATEROLE PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
}

# The schema, and the silo and front-end roles with their grants, as the migrator (silos do not migrate).
migrate() {
  (
    set -a; . "$repo/silo-config/cluster-migrate.env"; set +a
    for variable in $(compgen -e | grep '^OrleansCqrs__'); do export "$variable=$(localize "${!variable}")"; done
    cd "$(dirname "$silo_dll")" && dotnet "$silo_dll" migrate >"$state/migrate.log" 2>&1
  ) || fail "the schema migration failed; see $state/migrate.log"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A bearer token (HS256 JWT, the claims of the issue 9 contract) signed with the front end's key. The key goes to
# openssl as hex on its command line for the moment it runs: fine for a machine of one's own.
token() {
  # LOCAL_CLUSTER_SIGNING_KEY names another key file: the Docker cluster's, `.secrets/signing_key`.
  local key=${LOCAL_CLUSTER_SIGNING_KEY:-$secrets/signing_key} sub claims now header payload signature
  [ -s "$key" ] || fail "no signing key at $key: run start first (or set LOCAL_CLUSTER_SIGNING_KEY to the key file)"
  case "${1:-}" in
    operator) sub=operator; claims='"role":["operator"]' ;;
    customer)
      [[ "${2:-}" =~ ^[A-Za-z0-9._@:-]{1,100}$ ]] || fail "token customer ID: an id of letters, digits and . _ @ : - (at most 100)"
      sub=$2; claims="\"customer_id\":\"$2\"" ;;
    *) fail "token operator | token customer ID" ;;
  esac
  now=$(date +%s)
  header=$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"orleanscqrs","aud":"orleanscqrs","sub":"%s","iat":%d,"exp":%d,%s}' "$sub" "$now" $((now + 3600)) "$claims" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" \
    | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(openssl base64 -d -A <"$key" | od -An -v -tx1 | tr -d ' \n')" -binary | b64url)
  echo "$header.$payload.$signature"
}

stop_postgres() {
  if pg_running; then
    as_pg "$pg_bin/pg_ctl" -D "$(cat "$state/pg-folder")/data" -m fast -w stop >/dev/null
  fi
}

# --- Processes ---------------------------------------------------------------------------------------------------

launch() { # name, dll, env file, extra VAR=value...
  local name=$1 dll=$2 env_file=$3; shift 3
  [ -z "$(pid_of "$name")" ] || return 0
  (
    cd "$(dirname "$dll")"
    set -a; . "$repo/silo-config/$env_file"; set +a
    for variable in $(compgen -e | grep '^OrleansCqrs__'); do export "$variable=$(localize "${!variable}")"; done
    export "$@"
    exec setsid dotnet "$dll" >>"$state/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$state/$name.pid"
}

tls() { # certificate name (silo, frontend) -> the OrleansCqrs:Tls settings of a process presenting it, in tls_settings
  tls_settings=(OrleansCqrs__Tls__Enabled=true "OrleansCqrs__Tls__CaPath=$certs/ca.crt"
    "OrleansCqrs__Tls__CertificatePath=$certs/$1.crt" "OrleansCqrs__Tls__KeyPath=$certs/$1.key")
}

start_silo() {
  tls silo
  launch "$1" "$silo_dll" cluster-silo.env \
    OrleansCqrs__SiloPort=$((11110 + $1)) OrleansCqrs__GatewayPort=$((30000 + $1)) \
    OrleansCqrs__AdvertisedHost=127.0.0.1 OrleansCqrs__Role="$(role_of "$1")" ASPNETCORE_URLS="$(health_url "$1")" \
    "${tls_settings[@]}"
}

start_frontend() {
  tls frontend
  launch frontend "$api_dll" cluster-frontend.env ASPNETCORE_URLS="$frontend_url" "${tls_settings[@]}"
}

require_silo() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le ${#silos[@]} ] || fail "name a silo from 1 to ${#silos[@]}"
}

stop_component() { # name: SIGTERM, then SIGKILL if it does not exit in time
  local pid; pid=$(pid_of "$1")
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" 40 || { echo "$1 did not stop within 40 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$state/$1.pid"
}

command=${1:-}
mkdir -p "$state"
chmod 0700 "$state" # it holds the secrets; the database lives elsewhere (pg_folder)
case "$command" in
  start)
    case "${LOCAL_CLUSTER_LAYOUT:-all}" in
      all | split) echo "${LOCAL_CLUSTER_LAYOUT:-all}" >"$state/layout" ;;
      *) fail "LOCAL_CLUSTER_LAYOUT is '$LOCAL_CLUSTER_LAYOUT'; allowed values: all, split" ;;
    esac
    build
    make_secrets
    start_postgres
    migrate
    "$repo/scripts/cluster-certs.sh" "$certs" >"$state/certs.log" 2>&1 || fail "could not make certificates; see $state/certs.log"
    for n in "${silos[@]}"; do start_silo "$n"; done
    start_frontend
    for n in "${silos[@]}"; do wait_ready "$n" 120; done
    wait_ready frontend 120
    echo "Cluster ready ($(layout) layout): silos ${silos[*]} and the front end on $frontend_url (state in $state)."
    ;;
  status)
    if pg_running; then
      echo "postgres  running on 127.0.0.1:$pg_port (data in $(cat "$state/pg-folder"))"
    else
      echo "postgres  stopped"
    fi
    for name in "${silos[@]}" frontend; do
      label=$([ "$name" = frontend ] && echo "frontend" || echo "silo $name  ")
      role=$([ "$name" = frontend ] && echo "" || echo ", role $(role_of "$name")")
      pid=$(pid_of "$name")
      if [ -z "$pid" ]; then echo "$label stopped"
      elif ready "$name"; then echo "$label running (pid $pid$role), ready at $(health_url "$name")"
      else echo "$label running (pid $pid$role), not ready"
      fi
    done
    ;;
  kill)
    require_silo "${2:-}"
    pid=$(pid_of "$2")
    [ -n "$pid" ] || fail "silo $2 is not running"
    kill -KILL "$pid"
    wait_exit "$pid" 10 || fail "silo $2 (pid $pid) survived SIGKILL"
    rm -f "$state/$2.pid"
    echo "silo $2 (pid $pid) killed"
    ;;
  term)
    require_silo "${2:-}"
    [ -n "$(pid_of "$2")" ] || fail "silo $2 is not running"
    stop_component "$2"
    echo "silo $2 stopped"
    ;;
  restart)
    require_silo "${2:-}"
    stop_component "$2"
    start_silo "$2"
    wait_ready "$2" 120
    echo "silo $2 ready"
    ;;
  stop)
    stop_component frontend
    for n in "${silos[@]}"; do stop_component "$n" & done
    wait
    stop_postgres
    echo "Cluster stopped."
    ;;
  token)
    token "${2:-}" "${3:-}"
    ;;
  destroy)
    "$0" stop
    folder=$(cat "$state/pg-folder" 2>/dev/null || true)
    [ -z "$folder" ] || rm -rf "$folder"
    rm -rf "$state"
    echo "Database and state deleted."
    ;;
  *)
    sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$command" ] || exit 2
    ;;
esac
