# shellcheck shell=bash
# Redis for the rig, shaped like a managed service: TLS only and an ACL user. Sourced by services.sh.

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

# redis_start_plain DIR PORT [CONF_LINE...]: plaintext, no ACL — only for bin/bench's `plain` rig, which measures
# what TLS and the pooler cost against exactly this.
redis_start_plain() {
  local dir=$1 port=$2
  shift 2
  mkdir -p "$dir"
  printf '%s\n' "bind 127.0.0.1" "port $port" "dir $dir" "pidfile $dir/redis.pid" "logfile $dir/redis.log" \
    "maxmemory-policy noeviction" "$@" >"$dir/redis.conf"
  step "start redis (plaintext, for comparison) on 127.0.0.1:$port"
  "$REDIS_SERVER" "$dir/redis.conf" --daemonize yes || die "redis did not start (log: $dir/redis.log)"
  wait_for "redis on 127.0.0.1:$port" port_in_use "$port"
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

redis_running() { pid_alive "$1/redis.pid"; }

redis_stop() { pid_stop redis "$1/redis.pid"; } # redis_stop DIR

# The dev Redis (after dev_postgres_up made the dev CA in PG_TLS): TLS with the same certificates as the dev Postgres
# and user micai with the password in .dev/redis/password, made on first use. Sets REDIS_PASSWORD and REDIS_TLS.
# A server an older bin/dev started without TLS (no redis.conf) is restarted with it; its AOF data stays.
dev_redis_up() {
  local dev=$1
  REDIS_TLS=$PG_TLS
  mkdir -p "$dev/redis"
  [[ -s $dev/redis/password ]] || (umask 077 && redis_password >"$dev/redis/password")
  REDIS_PASSWORD=$(cat "$dev/redis/password")
  if redis_running "$dev/redis" && ! redis_ping "$REDIS_PORT" "$REDIS_TLS" "$REDIS_PASSWORD"; then
    redis_stop "$dev/redis" # plaintext (older bin/dev) or another certificate: start again with TLS
  fi
  redis_running "$dev/redis" || redis_start "$dev/redis" "$REDIS_PORT" "$REDIS_TLS" "$REDIS_PASSWORD" "appendonly yes"
}
