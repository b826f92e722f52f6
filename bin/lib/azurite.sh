# shellcheck shell=bash
# Azurite's blob service for bin/test: the media store's Azure Blob backend is tested against it
# (MicAi.Tests/Media/BlobMediaTests). Installed from npm with the machine's Node.js into .tools/azurite-<version>, kept
# between runs (bin/func-local uses the same release), and started on a free loopback port with its data in the run's
# temporary directory. Sourced after services.sh (step, die, free_port, wait_for); the caller sets `set -euo pipefail`.

azurite_version=3.37.0

# azurite_step ROOT DIR: exports MICAI_TEST_AZURITE_BLOB_URL (the dev account's blob endpoint). Where it cannot be
# installed (no npm registry), CI fails here; elsewhere the blob tests are reported skipped with the reason in
# MICAI_TEST_AZURITE_SKIPPED.
azurite_step() {
  local tools=$1/.tools/azurite-$azurite_version dir=$2 port
  if [[ ! -x $tools/node_modules/.bin/azurite-blob ]] && ! azurite_install "$tools"; then
    [[ ${CI:-} != true ]] || die "Azurite could not be installed from npm; CI requires it"
    export MICAI_TEST_AZURITE_SKIPPED="bin/test could not install azurite@$azurite_version from npm"
    printf 'warning: %s; the blob media tests are skipped\n' "$MICAI_TEST_AZURITE_SKIPPED" >&2
    return 0
  fi
  port=$(free_port)
  mkdir -p "$dir"
  step "start azurite (blob) on 127.0.0.1:$port"
  # --skipApiVersionCheck: the Azure SDK may speak a newer storage API version than this Azurite release knows.
  "$tools/node_modules/.bin/azurite-blob" --silent --skipApiVersionCheck --blobHost 127.0.0.1 --blobPort "$port" \
    --location "$dir" >"$dir/azurite.log" 2>&1 &
  echo $! >"$dir/azurite.pid"
  wait_for "azurite on 127.0.0.1:$port (log: $dir/azurite.log)" port_in_use "$port"
  export MICAI_TEST_AZURITE_BLOB_URL=http://127.0.0.1:$port/devstoreaccount1
}

# Called from an `if`, where `set -e` does not apply: every step's status is returned.
azurite_install() {
  command -v npm >/dev/null || apt_install nodejs npm || return 1
  step "npm install azurite@$azurite_version into $1"
  npm install --prefix "$1" --no-audit --no-fund --loglevel=error "azurite@$azurite_version" >/dev/null
}

# azurite_stop DIR: ends the Azurite this run started, if any.
azurite_stop() {
  local pid_file=$1/azurite.pid
  [[ -f $pid_file ]] || return 0
  kill "$(cat "$pid_file")" 2>/dev/null || true
  rm -f "$pid_file"
}
