#!/usr/bin/env bash
# Builds the libFuzzer executables (fuzz-*) into .build-fuzz/debug, with AddressSanitizer and
# libFuzzer's coverage instrumentation on all Swift code. Usage: build.sh [target…] (default: all).
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(range zip jpeg presigned-url jwt object-key api-body recipient s3-xml dynamodb-expression)
for target in "${targets[@]}"; do
    PAM_FUZZ=1 swift build --scratch-path .build-fuzz -c debug \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --product "fuzz-$target" 2>&1 \
        | grep -v "Cannot export local symbol" || { echo "fuzz build of fuzz-$target failed" >&2; exit 1; }
done
