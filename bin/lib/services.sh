# shellcheck shell=bash
# Loopback Postgres (with PgBouncer) and Redis for bin/test, bin/dev and friends: find or install the servers, pick
# ports, start and stop them. Sourced, never run; the caller sets `set -euo pipefail`. Postgres: bin/lib/postgres.sh; Redis: bin/lib/redis.sh.

# shellcheck source=postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
# shellcheck source=redis.sh
source "$(dirname "${BASH_SOURCE[0]}")/redis.sh"

step() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt-get is the only installer on a clean machine; refresh the package lists once per run.
apt_updated=""
apt_install() {
  [[ $(id -u) == 0 ]] || die "$* missing and not root: install it with apt-get install $*"
  if [[ -z $apt_updated ]]; then
    step "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  step "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Sets PG_BIN (the directory of initdb, pg_ctl and postgres; highest major version) and REDIS_SERVER,
# installing the Debian packages that are missing (PgBouncer and openssl too).
find_servers() {
  local missing=()
  [[ -n $(find_pg_bin) ]] || missing+=(postgresql)
  [[ -x $(pgbouncer_bin) ]] || missing+=(pgbouncer)
  command -v openssl >/dev/null || missing+=(openssl) # the rig's CA and passwords
  command -v redis-server >/dev/null || missing+=(redis-server)
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
  PG_BIN=$(find_pg_bin)
  [[ -n $PG_BIN ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
  REDIS_SERVER=$(command -v redis-server) || die "redis-server not found"
}

find_pg_bin() {
  local dir
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -rn); do
    if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
      printf '%s\n' "$dir"
      return
    fi
  done
}

ensure_tool() { # ensure_tool COMMAND [PACKAGE]
  command -v "$1" >/dev/null || apt_install "${2:-$1}"
}

port_in_use() { (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# A free loopback port below the kernel's ephemeral range, so outgoing connections don't take it later.
free_port() {
  local port
  for _ in {1..200}; do
    port=$((20000 + RANDOM % 12000))
    port_in_use "$port" || { printf '%s\n' "$port"; return; }
  done
  die "no free loopback port found"
}

# tls_make DIR [DAYS]: a throwaway CA (ca.crt, ca.key) and a server certificate for 127.0.0.1 and localhost (server.crt,
# server.key), as a private CA of an operator's would issue. Postgres, PgBouncer and Redis all serve server.crt
# (it also allows clientAuth: Redis Cluster nodes present it to each other on the TLS cluster bus);
# clients trust ca.crt the way an operator makes MicAi trust a private CA (sslrootcert / ssl_ca_certs in the URLs).
# The key is the postgres user's (Postgres and PgBouncer refuse a key others can read); the CA is world-readable.
tls_make() {
  local dir=$1 days=${2:-3}
  mkdir -p "$dir"
  chmod 755 "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$days" -subj "/CN=MicAi throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null || die "openssl could not make the test CA"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null || die "openssl could not make the server key"
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth,clientAuth" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" \
    -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null || die "openssl could not sign the server certificate"
  rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
  chmod 600 "$dir/ca.key" "$dir/server.key"
  if [[ $(id -u) == 0 ]]; then
    as_pg true # creates the postgres user if needed
    chown postgres: "$dir/server.key" "$dir/server.crt"
  fi
}

# Postgres refuses to run as root: as root, run its tools as the `postgres` system user.
as_pg() {
  if [[ $(id -u) == 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    (cd / && runuser -u postgres -- "$@") # from /: the caller's cwd may be closed to postgres
  else
    "$@"
  fi
}

# pid_alive PIDFILE: the process a daemon's pid file names is running.
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# pid_stop WHAT PIDFILE: SIGTERM to a daemon that keeps a pid file, then up to 10 s for it to exit.
pid_stop() {
  pid_alive "$2" || return 0
  local pid
  pid=$(cat "$2")
  step "stop $1 ($(dirname "$2"))"
  kill "$pid"
  for _ in {1..100}; do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  printf 'warning: %s (pid %s) still running\n' "$1" "$pid" >&2
}

wait_for() { # wait_for WHAT COMMAND...: up to 30 s
  local what=$1
  shift
  for _ in {1..300}; do "$@" && return 0; sleep 0.1; done
  die "$what is not answering"
}

# The local Postgres (with PgBouncer) and Redis that bin/dev and bin/func-local share: data and fixed ports under
# <repo>/.dev (services.env), database and role `micai` created once. Sets PG_PORT, PGBOUNCER_PORT, REDIS_PORT,
# PG_DATA, PG_TLS, PGBOUNCER_DIR (and PG_BIN to match the cluster's major version).
# Usage: dev_services_load <repo root>; dev_services_up <repo root>.
dev_services_load() {
  local state=$1/.dev/services.env
  find_servers
  [[ -f $state ]] || return 1
  # shellcheck source=/dev/null
  source "$state"
  # A data directory only opens with the major version that created it.
  if [[ -f $PG_DATA/PG_VERSION && -x /usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin/pg_ctl ]]; then
    PG_BIN=/usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin
  fi
  dev_postgres_paths
}

dev_services_up() {
  local root=$1 dev=$1/.dev
  if ! dev_services_load "$root"; then
    step "first run: choosing ports and the data directory"
    mkdir -p "$dev"
    PG_PORT=$(port_or_free 55432)
    REDIS_PORT=$(port_or_free 56379)
    PG_DATA=$dev/pg
    # Postgres runs as user postgres, which cannot enter a repo under a private home such as /root.
    as_pg test -x "$dev" || PG_DATA=/var/tmp/micai-dev-$(printf '%s' "$root" | cksum | cut -d' ' -f1)/pg
    printf 'PG_PORT=%s\nREDIS_PORT=%s\nPG_DATA=%q\n' "$PG_PORT" "$REDIS_PORT" "$PG_DATA" >"$dev/services.env"
    dev_postgres_paths
  fi
  dev_postgres_up "$dev"
  dev_redis_up "$dev"
}

port_or_free() { if port_in_use "$1"; then free_port; else echo "$1"; fi; }
