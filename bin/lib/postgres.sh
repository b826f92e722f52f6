# shellcheck shell=bash
# Production-shaped Postgres for bin/test, bin/dev and bin/bench: SCRAM passwords, TLS only, and PgBouncer in
# transaction mode in front, as managed Postgres (Render, Neon, Azure, Supabase) is met in production.
# Sourced by services.sh (which defines step, die, as_pg, wait_for, port_in_use, pid_alive and pid_stop).
# Callers run find_servers (PG_BIN) and pg_use before the functions below.

# pg_use TLS_DIR PASSWORD_FILE: the rig's certificates (a tls_make directory) and the superuser's password, kept in
# PASSWORD_FILE (0600) and made there, random, on first use (hex: nothing to escape in a URL). Sets PG_TLS, PG_PASSWORD.
pg_use() {
  PG_TLS=$1
  [[ -s $2 ]] || (umask 077 && openssl rand -hex 24 >"$2") || die "cannot write the Postgres password to $2"
  PG_PASSWORD=$(cat "$2")
}

# pg_url PORT DATABASE [USER [PASSWORD]]: a URL as an operator hands it to MicAi: the password in it, and the server's
# certificate checked against the rig's private CA (libpq's sslmode=verify-full + sslrootcert, which Npgsql honours).
pg_url() {
  printf 'postgresql://%s:%s@127.0.0.1:%s/%s?sslmode=verify-full&sslrootcert=%s\n' \
    "${3:-postgres}" "${4:-$PG_PASSWORD}" "$1" "$2" "$PG_TLS/ca.crt"
}

# pg_init DATADIR PORT [CONF_LINE...] (DATADIR absolute): a new cluster whose superuser `postgres` has PG_PASSWORD,
# reachable over TLS with SCRAM only (pg_secure), on 127.0.0.1:PORT only (no Unix socket, so clusters never clash
# over /var/run/postgresql).
pg_init() {
  local data=$1 port=$2 pwfile
  shift 2
  mkdir -p "$data"
  chmod 700 "$data"
  if [[ $(id -u) == 0 ]]; then
    as_pg true # creates the user if needed
    chown postgres: "$data"
  fi
  as_pg test -w "$data" || die "user postgres cannot write $data (is a parent directory private?)"
  step "initdb $data"
  # initdb reads the password from a file the postgres user can open; it is gone once the cluster exists.
  pwfile=$(dirname "$data")/.initdb-password
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$pwfile")
  [[ $(id -u) != 0 ]] || chown postgres: "$pwfile"
  as_pg "$PG_BIN/initdb" --pgdata="$data" --username=postgres --auth=scram-sha-256 --pwfile="$pwfile" \
    --encoding=UTF8 --no-locale --no-sync >"$data.initdb.log" 2>&1 || { rm -f "$pwfile"; cat "$data.initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  {
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = ''\n" "$port"
    printf '%s\n' "$@"
  } >>"$data/postgresql.conf"
  pg_secure "$data"
}

# pg_secure DATADIR: TLS with the rig's certificate and SCRAM passwords, nothing else: pg_hba has no plaintext `host`
# line, so a client without TLS or with a wrong password is refused, as by a managed service. Later settings in
# postgresql.conf win, so this also upgrades a cluster made before (bin/dev's .dev/).
pg_secure() {
  local data=$1
  printf '%s\n' "# TLS only, SCRAM passwords only (bin/lib/postgres.sh)" \
    "hostssl all all 127.0.0.1/32 scram-sha-256" >"$data/pg_hba.conf"
  printf '%s\n' "ssl = on" "ssl_cert_file = '$PG_TLS/server.crt'" "ssl_key_file = '$PG_TLS/server.key'" \
    "password_encryption = 'scram-sha-256'" >>"$data/postgresql.conf"
}

# pg_plain DATADIR: bin/bench's comparison rig only (MICAI_BENCH_RIG=plain): plaintext and no password check, as every
# rig was before, so the cost of TLS and pooling per reply can be measured against it.
pg_plain() {
  printf '%s\n' "# plaintext, no password: bin/bench's comparison rig (MICAI_BENCH_RIG=plain)" \
    "host all all 127.0.0.1/32 trust" >"$1/pg_hba.conf"
  printf '%s\n' "ssl = off" >>"$1/postgresql.conf"
}

pg_start() { # pg_start DATADIR PORT
  local data=$1 port=$2
  step "start postgres on 127.0.0.1:$port"
  as_pg "$PG_BIN/pg_ctl" --pgdata="$data" --log="$data/server.log" --wait --timeout=60 --silent start ||
    { tail -n 20 "$data/server.log" >&2; die "postgres did not start (log: $data/server.log)"; }
  wait_for "postgres on 127.0.0.1:$port" pg_ready "$port"
}

# pg_isready reports a server that answers, whatever it then demands (TLS, a password).
pg_ready() {
  if [[ -x $PG_BIN/pg_isready ]]; then "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1"; else port_in_use "$1"; fi
}

pg_running() { [[ -f $1/postmaster.pid ]] && as_pg "$PG_BIN/pg_ctl" --pgdata="$1" status >/dev/null 2>&1; }

pg_stop() { # pg_stop DATADIR
  pg_running "$1" || return 0
  step "stop postgres ($1)"
  as_pg "$PG_BIN/pg_ctl" --pgdata="$1" --mode=fast --wait --silent stop || true
}

# pg_psql PORT [PSQL_ARG...]: psql as the superuser over TLS (verified), unaligned and quiet, stopping at the first error.
pg_psql() {
  local port=$1
  shift
  PGPASSWORD=$PG_PASSWORD PGSSLMODE=verify-full PGSSLROOTCERT=$PG_TLS/ca.crt \
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAX "$@"
}

pgbouncer_bin() { command -v pgbouncer || echo /usr/sbin/pgbouncer; }

# pgbouncer_start DIR PORT PG_PORT: PgBouncer (Debian's package) in transaction mode on 127.0.0.1:PORT in front of the
# Postgres on PG_PORT, as the postgres user. Any database name goes through (`* =`), so databases made later are
# reachable too. TLS on both sides: clients must use it (the rig's certificate), and the server's certificate is
# verified against the CA. Clients log in with SCRAM against the roles' own SCRAM secrets (pgbouncer_userlist).
pgbouncer_start() {
  local dir=$1 port=$2 server=$3
  mkdir -p "$dir"
  chmod 700 "$dir"
  [[ $(id -u) != 0 ]] || chown postgres: "$dir"
  pgbouncer_userlist "$dir" "$server"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$server

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pidfile = $dir/pgbouncer.pid
logfile = $dir/pgbouncer.log
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
client_tls_sslmode = require
client_tls_cert_file = $PG_TLS/server.crt
client_tls_key_file = $PG_TLS/server.key
server_tls_sslmode = verify-full
server_tls_ca_file = $PG_TLS/ca.crt
log_connections = 0
log_disconnections = 0
EOF
  step "start pgbouncer on 127.0.0.1:$port (transaction pooling, in front of 127.0.0.1:$server)"
  local log=$dir/pgbouncer.log seen since attempt
  for attempt in {1..40}; do
    seen=$( (wc -l <"$log") 2>/dev/null || echo 0)
    as_pg "$(pgbouncer_bin)" -d -q "$dir/pgbouncer.ini" || true
    for _ in {1..100}; do # its own word, not just an open port (which could be someone else's)
      since=$(pgbouncer_log_since "$log" "$seen" || true) # no log yet right after the fork: not a failure (set -e)
      [[ $since != *"process up"* ]] || return 0
      [[ $since != *FATAL* ]] || break
      sleep 0.1
    done
    # Right after a stop (bin/dev stop; bin/dev) the port may still hold connections in TIME-WAIT, which PgBouncer
    # 1.18 cannot bind past: wait for the kernel to let them go (60 s on Linux).
    [[ $since == *"Address already in use"* ]] || break
    ((attempt > 1)) || echo "    127.0.0.1:$port cannot be bound yet (closed a moment ago, or taken): trying again for up to a minute"
    sleep 2
  done
  tail -n 20 "$log" >&2 2>/dev/null || true
  die "pgbouncer did not start (log: $log)"
}

# pgbouncer_log_since LOG LINES: what came after them; nothing while PgBouncer has not created its log yet (on a busy
# machine it may not have when the first look comes: a failing tail would end the calling script under set -e).
pgbouncer_log_since() { tail -n "+$(($2 + 1))" "$1" 2>/dev/null || true; }

# The SCRAM secrets of the login roles, exactly as the server keeps them. PgBouncer checks clients against them and,
# because they are identical to the server's (same salt and iterations), logs in to Postgres with the client's own
# proof: no plaintext password is ever written down (PgBouncer's "authentication file format").
pgbouncer_userlist() { # pgbouncer_userlist DIR PG_PORT
  (umask 077 && pg_psql "$2" -c "SELECT format('\"%s\" \"%s\"', replace(rolname, '\"', '\"\"'), rolpassword)
    FROM pg_authid WHERE rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256\$%' ORDER BY rolname" >"$1/userlist.txt") ||
    die "could not read the roles' SCRAM secrets for pgbouncer"
  [[ $(id -u) != 0 ]] || chown postgres: "$1/userlist.txt"
}

pgbouncer_running() { pid_alive "$1/pgbouncer.pid"; }

pgbouncer_stop() { pid_stop pgbouncer "$1/pgbouncer.pid"; } # pgbouncer_stop DIR

# bin/dev's Postgres (after dev_services_load or the first run chose PG_DATA and the ports): the CA, the certificate
# and PgBouncer's files sit next to the data, where the postgres user can read them; the superuser's password is
# kept in .dev/postgres.password.
dev_postgres_paths() {
  PG_TLS=$(dirname "$PG_DATA")/tls
  PGBOUNCER_DIR=$(dirname "$PG_DATA")/pgbouncer
}

dev_postgres_up() { # dev_postgres_up DEV_DIR
  local dev=$1
  if [[ -z ${PGBOUNCER_PORT:-} ]]; then # first run, or a .dev/ from before the pooler
    PGBOUNCER_PORT=$(port_or_free 56432)
    printf 'PGBOUNCER_PORT=%s\n' "$PGBOUNCER_PORT" >>"$dev/services.env"
  fi
  # Ten years: the dev cluster keeps its certificate across runs.
  [[ -f $PG_TLS/server.crt ]] || { step "make the dev CA and server certificate ($PG_TLS)"; tls_make "$PG_TLS" 3650; }
  pg_use "$PG_TLS" "$dev/postgres.password"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    pg_init "$PG_DATA" "$PG_PORT"
  elif ! grep -q '^hostssl' "$PG_DATA/pg_hba.conf"; then
    dev_postgres_upgrade
  fi
  pg_running "$PG_DATA" || pg_start "$PG_DATA" "$PG_PORT"

  if [[ -z $(pg_psql "$PG_PORT" -c "SELECT 1 FROM pg_roles WHERE rolname = 'micai'") ]]; then
    step "create role micai"
    pg_psql "$PG_PORT" -c "CREATE ROLE micai LOGIN PASSWORD 'micai'"
  fi
  if [[ -z $(pg_psql "$PG_PORT" -c "SELECT 1 FROM pg_database WHERE datname = 'micai'") ]]; then
    step "create database micai"
    pg_psql "$PG_PORT" -c "CREATE DATABASE micai OWNER micai"
  fi
  pgbouncer_running "$PGBOUNCER_DIR" || pgbouncer_start "$PGBOUNCER_DIR" "$PGBOUNCER_PORT" "$PG_PORT"
}

# A .dev/ made before the rig was production-shaped (trust, plaintext): over that old login, the superuser gets its
# password and micai's is stored again as a SCRAM secret; then only TLS and SCRAM are let in (pg_secure).
dev_postgres_upgrade() {
  step "upgrade $PG_DATA from trust to TLS + SCRAM passwords"
  pg_running "$PG_DATA" || pg_start "$PG_DATA" "$PG_PORT"
  PGSSLMODE=prefer "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qX >/dev/null <<SQL ||
SET password_encryption = 'scram-sha-256';
ALTER ROLE postgres PASSWORD '$PG_PASSWORD';
DO \$\$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'micai') THEN ALTER ROLE micai PASSWORD 'micai'; END IF; END \$\$;
SQL
    die "could not upgrade $PG_DATA: remove .dev/ (and $PG_DATA) and run bin/dev again for a new cluster"
  pg_secure "$PG_DATA"
  pg_stop "$PG_DATA"
}
