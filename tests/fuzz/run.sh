#!/usr/bin/env bash
# run.sh BIN_DIR SECONDS TARGET... — replays each target's regression inputs and seeds, then
# fuzzes it for SECONDS with libFuzzer. New inputs go to BIN_DIR/work/TARGET (never into the
# source tree), crashes to BIN_DIR/artifacts/TARGET/. Prints executions per target; exits
# non-zero when any target crashed, leaked, timed out or broke an invariant.
set -u
bin_dir=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fail=0
summary=""
for t in "$@"; do
  exe=$bin_dir/fuzz_$t
  work=$bin_dir/work/$t
  art=$bin_dir/artifacts/$t
  log=$bin_dir/fuzz_$t.log
  mkdir -p "$work" "$art"
  case $t in router|query) max_len=2048 ;; *) max_len=16384 ;; esac
  regs=$(find "$here/regressions/$t" -type f 2>/dev/null | sort)
  if [ -n "$regs" ]; then
    # shellcheck disable=SC2086
    if ! "$exe" -runs=1 $regs >"$bin_dir/regress_$t.log" 2>&1; then
      echo "fuzz $t: a regression input fails again:"; tail -40 "$bin_dir/regress_$t.log"
      fail=1; summary="$summary\n  $t: REGRESSION"; continue
    fi
  fi
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
    -artifact_prefix="$art/" -print_final_stats=1 "$work" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  nregs=$(printf '%s' "$regs" | grep -c . || true)
  if [ $rc -ne 0 ]; then
    fail=1
    echo "fuzz $t: FAILED (exit $rc); input kept in $art — add it to tests/fuzz/regressions/$t/"
    grep -E -A30 'ERROR:|runtime error|invariant failed|deadly signal|timeout' "$log" | head -60
    summary="$summary\n  $t: FAILED after ${execs:-?} executions"
  else
    summary="$summary\n  $t: ok, ${execs:-?} executions in ${seconds}s, $nregs regression input(s) replayed"
  fi
done
printf "fuzz summary:$summary\n"
exit $fail
