# shellcheck shell=bash
# Loopback Postgres and Redis for bin/test, bin/dev and friends: find or install the servers, pick ports,
# start and stop them. Sourced, never run; the caller sets `set -euo pipefail`.

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
# installing the Debian packages that are missing.
find_servers() {
  local missing=()
  [[ -n $(find_pg_bin) ]] || missing+=(postgresql)
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

# tls_make DIR: a throwaway CA (ca.crt, ca.key) and a server certificate for 127.0.0.1 and localhost (server.crt,
# server.key), as a private CA of an operator's would issue. Postgres, PgBouncer and Redis all serve server.crt
# (it also allows clientAuth: Redis Cluster nodes present it to each other on the TLS cluster bus);
# clients trust ca.crt the way an operator makes MicAi trust a private CA (sslrootcert / ssl_ca_certs in the URLs).
# The key is the postgres user's (Postgres and PgBouncer refuse a key others can read); the CA is world-readable.
tls_make() {
  local dir=$1
  mkdir -p "$dir"
  chmod 755 "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3 -subj "/CN=MicAi throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null || die "openssl could not make the test CA"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null || die "openssl could not make the server key"
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth,clientAuth" >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 3 \
    -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null || die "openssl could not sign the server certificate"
  rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
  chmod 644 "$dir/ca.crt" "$dir/server.crt"
  chmod 600 "$dir/ca.key" "$dir/server.key"
  if [[ $(id -u) == 0 ]]; then
    as_pg true # creates the postgres user if needed
    chown postgres: "$dir/server.key" "$dir/server.crt"
  fi
}

# tls_ensure DIR: tls_make DIR unless its certificates are there and valid for another day (bin/dev keeps them).
tls_ensure() {
  if [[ -f $1/ca.crt && -f $1/server.key ]] && openssl x509 -checkend 86400 -noout -in "$1/server.crt" >/dev/null 2>&1; then
    return 0
  fi
  tls_make "$1"
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

# pg_init DATADIR PORT [CONF_LINE...] (after find_servers; DATADIR absolute): a new cluster with superuser
# `postgres`, trust auth, TCP on 127.0.0.1:PORT only (no Unix socket, so clusters never clash over /var/run/postgresql).
pg_init() {
  local data=$1 port=$2
  shift 2
  mkdir -p "$data"
  chmod 700 "$data"
  if [[ $(id -u) == 0 ]]; then
    as_pg true # creates the user if needed
    chown postgres: "$data"
  fi
  as_pg test -w "$data" || die "user postgres cannot write $data (is a parent directory private?)"
  step "initdb $data"
  as_pg "$PG_BIN/initdb" --pgdata="$data" --username=postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
    >"$data.initdb.log" 2>&1 || { cat "$data.initdb.log" >&2; die "initdb failed"; }
  {
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = ''\n" "$port"
    printf '%s\n' "$@"
  } >>"$data/postgresql.conf"
}

pg_start() { # pg_start DATADIR PORT
  local data=$1 port=$2
  step "start postgres on 127.0.0.1:$port"
  as_pg "$PG_BIN/pg_ctl" --pgdata="$data" --log="$data/server.log" --wait --timeout=60 --silent start ||
    { tail -n 20 "$data/server.log" >&2; die "postgres did not start (log: $data/server.log)"; }
  wait_for "postgres on 127.0.0.1:$port" pg_ready "$port"
}

pg_ready() {
  if [[ -x $PG_BIN/pg_isready ]]; then "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1"; else port_in_use "$1"; fi
}

pg_running() { [[ -f $1/postmaster.pid ]] && as_pg "$PG_BIN/pg_ctl" --pgdata="$1" status >/dev/null 2>&1; }

pg_stop() { # pg_stop DATADIR
  pg_running "$1" || return 0
  step "stop postgres ($1)"
  as_pg "$PG_BIN/pg_ctl" --pgdata="$1" --mode=fast --wait --silent stop || true
}

# Redis as managed services run it: TLS only (no plaintext port) with the rig's certificate, and an ACL user with a
# password while the default user is off. The password and TLS paths go into DIR/redis.conf (mode 600), never onto a
# command line other users could read in ps.
REDIS_USER=micai

redis_password() { openssl rand -hex 24; } # hex: safe in URLs and config files unquoted

# redis_conf DIR PORT TLS_DIR PASSWORD [CONF_LINE...]: writes DIR/redis.conf for a TLS-only server on 127.0.0.1:PORT.
redis_conf() {
  local dir=$1 port=$2 tls=$3 password=$4
  shift 4
  mkdir -p "$dir"
  (
    umask 077
    printf '%s\n' "bind 127.0.0.1" "port 0" "tls-port $port" "tls-cert-file $tls/server.crt" "tls-key-file $tls/server.key" \
      "tls-ca-cert-file $tls/ca.crt" "tls-auth-clients no" "user default off" "user $REDIS_USER on >$password ~* &* +@all" \
      "dir $dir" "pidfile $dir/redis.pid" "logfile $dir/redis.log" "maxmemory-policy noeviction" "$@" >"$dir/redis.conf"
  )
}

# redis_start DIR PORT TLS_DIR PASSWORD [CONF_LINE...] (after find_servers): daemonized, config, pidfile and log in
# DIR; the extra lines choose persistence.
redis_start() {
  local dir=$1 port=$2 tls=$3 password=$4
  redis_conf "$@"
  step "start redis (TLS, user $REDIS_USER) on 127.0.0.1:$port"
  "$REDIS_SERVER" "$dir/redis.conf" --daemonize yes || die "redis did not start (log: $dir/redis.log)"
  wait_for "redis on 127.0.0.1:$port (log: $dir/redis.log)" redis_ping "$port" "$tls" "$password"
}

redis_ping() { [[ $(redis_cli "$@" ping) == PONG ]]; } # PORT TLS_DIR PASSWORD

# redis_cli PORT TLS_DIR PASSWORD ARG...: redis-cli over TLS as the ACL user (password through the environment).
redis_cli() {
  local port=$1 tls=$2 password=$3
  shift 3
  # timeout: a TLS handshake with a plaintext server (an older bin/dev's) would wait for ever.
  REDISCLI_AUTH=$password timeout 10 "$(dirname "$REDIS_SERVER")/redis-cli" --tls --cacert "$tls/ca.crt" -h 127.0.0.1 -p "$port" \
    --user "$REDIS_USER" --no-auth-warning "$@" 2>/dev/null
}

# The URL MicAi takes for that server: the ACL user, TLS, and the private CA to trust (ssl_ca_certs).
redis_url() { printf 'rediss://%s:%s@127.0.0.1:%s/0?ssl_ca_certs=%s\n' "$REDIS_USER" "$3" "$1" "$2/ca.crt"; } # PORT TLS_DIR PASSWORD

redis_running() { [[ -f $1/redis.pid ]] && kill -0 "$(cat "$1/redis.pid")" 2>/dev/null; }

redis_stop() { # redis_stop DIR
  redis_running "$1" || return 0
  local pid
  pid=$(cat "$1/redis.pid")
  step "stop redis ($1)"
  kill "$pid"
  for _ in {1..100}; do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  printf 'warning: redis (pid %s) still running\n' "$pid" >&2
}

wait_for() { # wait_for WHAT COMMAND...: up to 30 s
  local what=$1
  shift
  for _ in {1..300}; do "$@" && return 0; sleep 0.1; done
  die "$what is not answering"
}

# The local Postgres and Redis that bin/dev and bin/func-local share: data and fixed ports under <repo>/.dev
# (services.env), database and role `micai` created once. Sets PG_PORT, REDIS_PORT, PG_DATA (and PG_BIN to match
# the cluster's major version). Usage: dev_services_load <repo root>; dev_services_up <repo root>.
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
  fi
  [[ -f $PG_DATA/PG_VERSION ]] || pg_init "$PG_DATA" "$PG_PORT"
  pg_running "$PG_DATA" || pg_start "$PG_DATA" "$PG_PORT"
  dev_redis_up "$dev"

  if [[ -z $(dev_psql -c "SELECT 1 FROM pg_roles WHERE rolname = 'micai'") ]]; then
    step "create role micai"
    dev_psql -c "CREATE ROLE micai LOGIN PASSWORD 'micai'"
  fi
  if [[ -z $(dev_psql -c "SELECT 1 FROM pg_database WHERE datname = 'micai'") ]]; then
    step "create database micai"
    dev_psql -c "CREATE DATABASE micai OWNER micai"
  fi
}

# The dev Redis: TLS with the certificates in .dev/tls and user micai with the password in .dev/redis/password,
# both made on first use. Sets REDIS_PASSWORD and REDIS_TLS. A server an older bin/dev started without TLS (no
# redis.conf) is restarted with it; its AOF data stays.
dev_redis_up() {
  local dev=$1
  ensure_tool openssl
  REDIS_TLS=$dev/tls
  tls_ensure "$REDIS_TLS"
  mkdir -p "$dev/redis"
  [[ -s $dev/redis/password ]] || (umask 077 && redis_password >"$dev/redis/password")
  REDIS_PASSWORD=$(cat "$dev/redis/password")
  if redis_running "$dev/redis" && ! redis_ping "$REDIS_PORT" "$REDIS_TLS" "$REDIS_PASSWORD"; then
    redis_stop "$dev/redis" # plaintext (older bin/dev) or another certificate: start again with TLS
  fi
  redis_running "$dev/redis" || redis_start "$dev/redis" "$REDIS_PORT" "$REDIS_TLS" "$REDIS_PASSWORD" "appendonly yes"
}

dev_psql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }

port_or_free() { if port_in_use "$1"; then free_port; else echo "$1"; fi; }
