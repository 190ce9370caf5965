#!/usr/bin/env bash
# Starts moto_server on 127.0.0.1:PORT in the background (a port the system picks when PORT is omitted or 0),
# waits until it answers, and prints its endpoint, e.g. http://127.0.0.1:5000.
#   Emulator/moto/start.sh [PORT]
# The server's PID goes to $PAM_MOTO_PIDFILE (default .pam/moto.pid) and its log to
# $PAM_MOTO_LOG (default .pam/moto.log); stop it with: kill "$(cat .pam/moto.pid)"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/install.sh" >&2
port="${1:-0}"
pidfile="${PAM_MOTO_PIDFILE:-.pam/moto.pid}"
log="${PAM_MOTO_LOG:-.pam/moto.log}"
mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
# serve.py binds the port itself (port 0: one the system picks) and writes the bound port here.
portfile="$(mktemp)"
rm -f "$portfile"
trap 'rm -f "$portfile"' EXIT
nohup python3 "$here/serve.py" "$port" --port-file "$portfile" >"$log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 1 150); do
    if [ -s "$portfile" ]; then
        bound="$(cat "$portfile")"
        if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$bound/moto-api/', timeout=2)" 2>/dev/null; then
            echo "http://127.0.0.1:$bound"
            exit 0
        fi
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "moto_server exited; see $log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "moto_server did not answer within 30 seconds; see $log" >&2
exit 1
