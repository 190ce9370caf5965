#!/usr/bin/env bash
# Installs moto's server and boto3 (for the AWS-mode tests) when they are missing.
set -euo pipefail
if ! python3 -c 'import moto.server, boto3, flask, flask_cors' 2>/dev/null; then
    python3 -m pip install --quiet "moto[server]" boto3
fi
python3 -c 'import moto; print("moto", moto.__version__)'
