#!/usr/bin/env bash
# Fuzzes the parsers that see untrusted bytes: builds the fuzz-* executables (build.sh), then runs
# each for SECONDS (default 60) on a scratch copy of its seed corpus Fixtures/fuzz/<target>/.
# A finding is saved to Fixtures/fuzz/<target>/crashes/ (keep it: the corpus tests replay it) and
# makes the script exit non-zero after the remaining targets ran.
# Usage: Emulator/fuzz/run.sh [SECONDS] [TARGET…]   targets: range zip jpeg presigned-url jwt
#        object-key api-body recipient s3-xml dynamodb-expression (default: all). Extra libFuzzer flags: PAM_FUZZ_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=60
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(range zip jpeg presigned-url jwt object-key api-body recipient s3-xml dynamodb-expression)

build_start=$(date +%s)
Emulator/fuzz/build.sh "${targets[@]}"
echo "fuzz build: $(( $(date +%s) - build_start )) s"

# libFuzzer reports crashes itself: the Swift runtime's backtracer would hold the process.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in "${targets[@]}"; do
    seeds="Fixtures/fuzz/$target"
    crashes="$seeds/crashes"
    mkdir -p "$crashes" "$scratch/$target"
    log="$scratch/$target.log"
    echo "== fuzz-$target for ${seconds} s (seeds: $seeds)"
    # New inputs go to the scratch folder (first corpus argument); the seeds are only read.
    status=0
    # shellcheck disable=SC2086
    .build-fuzz/debug/fuzz-"$target" "$scratch/$target" "$seeds" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$crashes/" -print_final_stats=1 ${PAM_FUZZ_FLAGS:-} >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        echo "fuzz-$target: FINDING (exit $status), input saved in $crashes/"
        failed+=("$target")
    else
        echo "fuzz-$target: ${runs:-?} runs, ${rate:-?} exec/s, ${coverage:-cov: ?}, no finding"
    fi
    rmdir "$crashes" 2>/dev/null || true
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}"
    exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds} s each, no finding"
