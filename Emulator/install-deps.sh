#!/usr/bin/env bash
# Installs what PAM needs on Debian/Ubuntu, only what is missing; uses sudo when not root.
#   install-deps.sh          build and run: libturbojpeg (the labeler's decoder), SQLite and zlib headers
#   install-deps.sh --test   also what the tests use: unzip, python3 and a JDK (zip readers: Java's
#                            ZipInputStream), Chromium, chromium-driver and Selenium (the web page
#                            test), moto, boto3 and the aws CLI (AWS tests), Go and Debian's AWS SDK for
#                            Go v2 (a second SDK family against the AWS endpoint: Emulator/compat/go-sdk)
set -euo pipefail
wanted=(libturbojpeg0-dev libsqlite3-dev zlib1g-dev pkg-config)
python_packages=()
if [ "${1:-}" = "--test" ]; then
  wanted+=(unzip chromium chromium-driver golang-go golang-github-aws-aws-sdk-go-v2-dev)
  command -v java >/dev/null 2>&1 || wanted+=(default-jdk-headless)
  command -v python3 >/dev/null 2>&1 || wanted+=(python3 python3-pip)
  python_packages=(selenium "moto[server]" boto3 awscli)
fi
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ${#python_packages[@]} -gt 0 ]; then
  python3 - "${python_packages[@]}" <<'PY' || python3 -m pip install -q "${python_packages[@]}"
import importlib, sys
names = {"selenium": "selenium", "moto[server]": "moto.server", "boto3": "boto3", "awscli": "awscli"}
for package in sys.argv[1:]:
    importlib.import_module(names[package])
PY
fi
