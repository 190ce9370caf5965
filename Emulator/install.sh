#!/usr/bin/env bash
# Builds `pam` for use outside this checkout and installs the one executable into PREFIX/bin
# (default ~/.local/bin). Release mode, with the Swift runtime and Foundation linked in
# (--static-swift-stdlib), so the binary needs no Swift toolchain at run time: only system
# libraries — libturbojpeg, libsqlite3, zlib (Emulator/install-deps.sh installs them), libxml2, and
# the C and C++ runtimes.
# The web page and the default configuration are inside the binary.
#
# usage: Emulator/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
build=(swift build -c release --static-swift-stdlib --product pam)
"${build[@]}"
bin="$("${build[@]}" --show-bin-path)"
install -d "$prefix/bin"
install -m 0755 "$bin/pam" "$prefix/bin/pam"
echo "installed $prefix/bin/pam"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) echo "note: $prefix/bin is not on your PATH; add it, or run $prefix/bin/pam" ;;
esac
