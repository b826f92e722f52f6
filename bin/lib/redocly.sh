# shellcheck shell=bash
# Redocly's CLI for bin/test: the [RedoclyFact] tests (MicAi.Tests/Admin/OpenApiLint.cs) lint the admin API's OpenAPI
# document, as the Host and the Functions app serve it, with Redocly's recommended rules. Installed from npm with the
# machine's Node.js into .tools/redocly-<version>, kept between runs. Sourced after services.sh (step, die,
# apt_install); the caller sets `set -euo pipefail`.

# 1.34 runs on Node.js 18.17 or later, which Debian 12's own nodejs package is (the 2.x line needs 20.19); both report
# the same problems on this document.
redocly_version=1.34.20

# redocly_step ROOT: exports MICAI_TEST_REDOCLY (the CLI). Where it cannot be installed (no npm registry), CI fails here;
# elsewhere the lint tests are reported skipped with the reason in MICAI_TEST_REDOCLY_SKIPPED.
redocly_step() {
  local dir=$1/.tools/redocly-$redocly_version
  if [[ ! -x $dir/node_modules/.bin/redocly ]] && ! redocly_install "$dir"; then
    [[ ${CI:-} != true ]] || die "the Redocly CLI could not be installed from npm; CI requires it"
    export MICAI_TEST_REDOCLY_SKIPPED="bin/test could not install @redocly/cli@$redocly_version from npm"
    printf 'warning: %s; the OpenAPI lint tests are skipped\n' "$MICAI_TEST_REDOCLY_SKIPPED" >&2
    return 0
  fi
  export MICAI_TEST_REDOCLY=$dir/node_modules/.bin/redocly
}

# Called from an `if`, where `set -e` does not apply: every step's status is returned.
redocly_install() {
  command -v npm >/dev/null || apt_install nodejs npm || return 1
  step "npm install @redocly/cli@$redocly_version into $1"
  npm install --prefix "$1" --no-audit --no-fund --loglevel=error "@redocly/cli@$redocly_version" >/dev/null
}
