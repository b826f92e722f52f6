# shellcheck shell=bash
# bin/test's run of `dotnet test`: the hang guard, stopping what a stopped test host leaves running, and the count of
# results with the minimum an unfiltered run must reach. Sourced, never run; the caller sets `set -euo pipefail`.

# The suite's size at the last count. An unfiltered run (CI) that executes fewer tests has lost some (a discovery
# failure, a class that no longer runs). Raise it when tests are added; lower it only when tests are removed on purpose.
MIN_TESTS=1431

# Without a test starting or finishing for this long, the blame collector stops the test host and the run fails naming
# the tests that were running, instead of hanging until CI's job limit. The slowest tests (faults, end-to-end) take
# about 20 s and give up waiting for their own conditions within 5 minutes. No dump: the names are what we need.
HANG_TIMEOUT=10m

TEST_GROUP=""

# test_run RESULTS_DIR TEMP_DIR [DOTNET_TEST_ARG...]: runs the suite in a process group of its own, with TMPDIR under
# TEMP_DIR, so stop_test_leftovers finds whatever a killed test host left running. Returns dotnet test's status.
test_run() {
  local results=$1 temp=$2 arg
  shift 2
  local guard=(--blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none)
  for arg in "$@"; do if [[ $arg == --blame* ]]; then guard=(); fi; done # the caller chose their own
  mkdir -p "$temp"
  # Not a process group leader (no job control here), so setsid starts a new session in place: its pid is the group's.
  TMPDIR=$temp setsid dotnet test MicAi.sln --no-build --logger trx --results-directory "$results" "${guard[@]}" "$@" &
  TEST_GROUP=$!
  wait "$TEST_GROUP"
}

# stop_test_leftovers TEMP_DIR: Host roles, Functions workers and Redis servers of a stopped or crashed test host (its
# process group), then private Postgres clusters under TEMP_DIR (pg_ctl starts them in a session of their own).
stop_test_leftovers() {
  local temp=$1 data
  if [[ -n $TEST_GROUP ]] && kill -0 -- "-$TEST_GROUP" 2>/dev/null; then
    kill -TERM -- "-$TEST_GROUP" 2>/dev/null || true
    for _ in {1..50}; do
      kill -0 -- "-$TEST_GROUP" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$TEST_GROUP" 2>/dev/null || true
  fi
  for data in "$temp"/micai-pg-*/data; do
    if [[ -f $data/postmaster.pid ]]; then pg_stop "$data" >/dev/null; fi
  done
}

# test_summary RESULTS_DIR STATUS [DOTNET_TEST_ARG...]: prints `N passed, N failed[, N skipped]` from the trx results
# as the last line, explains on stderr what else failed the run, and returns the run's exit status.
test_summary() {
  local results=$1 status=$2 arg filtered=""
  shift 2
  for arg in "$@"; do if [[ $arg == --filter || $arg == --filter=* ]]; then filtered=1; fi; done
  shopt -s nullglob
  local trx=("$results"/*.trx) sequences=("$results"/*/Sequence_*.xml)
  if ((${#trx[@]} == 0)); then
    echo "no test results (.trx) were written" >&2
    return $((status == 0 ? 1 : status))
  fi
  # Outcomes of the individual results, not the runner's own words.
  local outcomes passed skipped failed unfinished=()
  outcomes=$(grep -ho '<UnitTestResult [^>]*outcome="[A-Za-z]*"' "${trx[@]}" | grep -o 'outcome="[A-Za-z]*"' || true)
  passed=$(grep -c '"Passed"' <<<"$outcomes" || true)
  skipped=$(grep -c '"NotExecuted"' <<<"$outcomes" || true)
  failed=$(grep -vc -e '"Passed"' -e '"NotExecuted"' -e '^$' <<<"$outcomes" || true)
  # Tests still running when the hang guard stopped the test host (or it crashed) have no result in the trx: the
  # blame collector's sequence file marks them Completed="False". They failed.
  if ((${#sequences[@]} > 0)); then
    mapfile -t unfinished < <(grep -ho '<Test [^>]*Completed="False"' "${sequences[@]}" |
      sed -e 's/.* DisplayName="\([^"]*\)".*/\1/' -e 's/&quot;/"/g' || true)
  fi
  if ((${#unfinished[@]} > 0)); then
    echo "did not finish (stopped by the hang guard, or the test host crashed):" >&2
    printf '  %s\n' "${unfinished[@]}" >&2
    failed=$((failed + ${#unfinished[@]}))
  fi
  local executed=$((passed + failed))
  if [[ -z $filtered ]] && ((executed < MIN_TESTS)); then
    echo "only $executed tests ran; the suite has at least $MIN_TESTS (MIN_TESTS in bin/lib/test-run.sh): were tests lost?" >&2
    status=1
  elif [[ -n $filtered ]] && ((executed == 0)); then
    echo "the filter matched no test" >&2
    status=1
  fi
  if ((failed > 0 && status == 0)); then status=1; fi

  local summary="$passed passed, $failed failed"
  ((skipped == 0)) || summary+=", $skipped skipped"
  echo "$summary"
  return "$status"
}
