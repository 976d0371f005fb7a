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
#
# Silos and the front end talk mutual TLS: `start` makes a CA and certificates in the state folder (certs/) unless
# they exist, with scripts/cluster-certs.sh.
#
# Environment: LOCAL_CLUSTER_DIR (state: database, logs, pids, certificates; default .local-cluster in the repository),
# LOCAL_CLUSTER_PG_PORT (default 55432), LOCAL_CLUSTER_CONFIGURATION (build configuration, default Release),
# LOCAL_CLUSTER_NO_BUILD=1 (use what is built already).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
state=${LOCAL_CLUSTER_DIR:-$repo/.local-cluster}
pg_port=${LOCAL_CLUSTER_PG_PORT:-55432}
configuration=${LOCAL_CLUSTER_CONFIGURATION:-Release}
pg_bin=/usr/lib/postgresql/15/bin
silos=(1 2 3)
frontend_url=http://127.0.0.1:5080
connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=orleanscqrs"

silo_dll=$repo/src/OrleansCqrs.Silo/bin/$configuration/net10.0/OrleansCqrs.Silo.dll
api_dll=$repo/src/OrleansCqrs.Api/bin/$configuration/net10.0/OrleansCqrs.Api.dll
certs=$state/certs

fail() { echo "local-cluster: $*" >&2; exit 1; }

# initdb and the server refuse to run as root: as root they run as the postgres user on a folder it owns.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
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

start_postgres() {
  if as_pg "$pg_bin/pg_ctl" -D "$state/pg" status >/dev/null 2>&1; then return; fi
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL 15 is not installed ($pg_bin)"
  if [ ! -f "$state/pg/PG_VERSION" ]; then
    mkdir -p "$state/pg"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$state/pg"
    as_pg "$pg_bin/initdb" -D "$state/pg" -U postgres --auth=trust -E UTF8 --no-instructions >"$state/initdb.log" 2>&1 \
      || fail "initdb failed; see $state/initdb.log"
  fi
  as_pg "$pg_bin/pg_ctl" -D "$state/pg" -l "$state/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $state/pg -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || fail "PostgreSQL did not start; see $state/pg/server.log"
  as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'orleanscqrs'" \
    | grep -q 1 || as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres orleanscqrs
}

launch() { # name, dll, env file, extra VAR=value...
  local name=$1 dll=$2 env_file=$3; shift 3
  [ -z "$(pid_of "$name")" ] || return 0
  (
    cd "$(dirname "$dll")"
    set -a; . "$repo/silo-config/$env_file"; set +a
    export OrleansCqrs__PostgresConnectionString="$connection" "$@"
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
    OrleansCqrs__AdvertisedHost=127.0.0.1 ASPNETCORE_URLS="$(health_url "$1")" "${tls_settings[@]}"
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
[ "$(id -u)" -ne 0 ] || chmod 755 "$state" # the postgres user must reach its data folder inside
case "$command" in
  start)
    build
    start_postgres
    (
      set -a; . "$repo/silo-config/cluster-silo.env"; set +a
      export OrleansCqrs__PostgresConnectionString="$connection"
      cd "$(dirname "$silo_dll")" && dotnet "$silo_dll" migrate >"$state/migrate.log" 2>&1
    ) || fail "the schema migration failed; see $state/migrate.log"
    "$repo/scripts/cluster-certs.sh" "$certs" >"$state/certs.log" 2>&1 || fail "could not make certificates; see $state/certs.log"
    for n in "${silos[@]}"; do start_silo "$n"; done
    start_frontend
    for n in "${silos[@]}"; do wait_ready "$n" 120; done
    wait_ready frontend 120
    echo "Cluster ready: silos ${silos[*]} and the front end on $frontend_url (state in $state)."
    ;;
  status)
    if as_pg "$pg_bin/pg_ctl" -D "$state/pg" status >/dev/null 2>&1; then
      echo "postgres  running on 127.0.0.1:$pg_port"
    else
      echo "postgres  stopped"
    fi
    for name in "${silos[@]}" frontend; do
      label=$([ "$name" = frontend ] && echo "frontend" || echo "silo $name  ")
      pid=$(pid_of "$name")
      if [ -z "$pid" ]; then echo "$label stopped"
      elif ready "$name"; then echo "$label running (pid $pid), ready at $(health_url "$name")"
      else echo "$label running (pid $pid), not ready"
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
    if as_pg "$pg_bin/pg_ctl" -D "$state/pg" status >/dev/null 2>&1; then
      as_pg "$pg_bin/pg_ctl" -D "$state/pg" -m fast -w stop >/dev/null
    fi
    echo "Cluster stopped."
    ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$command" ] || exit 2
    ;;
esac
