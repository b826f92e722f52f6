#!/usr/bin/env bash
# Runs a command (the api) the way a Render web service runs: in a network of its own that it shares only with
# Render's proxy, which reaches it from a private address. The production rehearsal
# (MicAi.Tests/Rehearsal/RenderProxyHop.cs) starts it as
#   unshare --net -- bash bin/lib/render-proxy-hop.sh DIR PROXY_ADDRESS APP_PORT "PORT..." -- COMMAND...
# Inside the new network namespace (made here, so the private address is nobody else's):
# - loopback is up and also carries PROXY_ADDRESS (a private address, as Render's proxy has);
# - "Render's proxy": DIR/ingress.sock (a Unix socket, the one way in from outside the namespace) is relayed to
#   PROXY_ADDRESS:APP_PORT from PROXY_ADDRESS, so the app sees every request come from the proxy's address;
# - each of PORT... (Postgres, PgBouncer, Redis) listens on 127.0.0.1 and is relayed to DIR/PORT.sock, which the
#   test relays to the same port outside: URLs, TLS names and certificates stay those of the servers.
# SIGTERM goes to the command (graceful shutdown, as Render stops a service); the relays end with it. Exit: its code.
set -euo pipefail

dir=$1 proxy=$2 app_port=$3 ports=$4
shift 4
[[ ${1:-} == -- ]] && shift
(($# > 0)) || { echo "render-proxy-hop: no command given" >&2; exit 2; }

ip link set lo up
ip addr add "$proxy/32" dev lo

relays=()
for port in $ports; do
  socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$dir/$port.sock" &
  relays+=("$!")
done
socat "UNIX-LISTEN:$dir/ingress.sock,fork,unlink-early" "TCP:$proxy:$app_port,bind=$proxy" &
relays+=("$!")

"$@" &
app=$!
trap 'kill -TERM "$app" 2>/dev/null || true' TERM INT
status=0
wait "$app" || status=$?
# A trapped signal ends `wait` early: wait again until the command itself has exited.
while kill -0 "$app" 2>/dev/null; do
  status=0
  wait "$app" || status=$?
done
kill "${relays[@]}" 2>/dev/null || true
exit "$status"
