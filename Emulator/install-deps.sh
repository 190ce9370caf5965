#!/usr/bin/env bash
# Installs what PAM builds and tests with on Debian/Ubuntu: libturbojpeg (the labeler's decoder),
# SQLite and zlib headers, and the zip readers the tests check bundles with (python3, unzip).
# Installs only what is missing; uses sudo when not root.
set -euo pipefail
wanted=(libturbojpeg0-dev libsqlite3-dev zlib1g-dev pkg-config unzip)
command -v python3 >/dev/null 2>&1 || wanted+=(python3)  # any working python3 will do (pyenv too)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
