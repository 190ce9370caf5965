#!/usr/bin/env bash
# Starts moto_server on 127.0.0.1:PORT in the background (a free port when PORT is omitted or 0),
# waits until it answers, and prints its endpoint, e.g. http://127.0.0.1:5000.
#   Emulator/moto/start.sh [PORT]
# The server's PID goes to $PAM_MOTO_PIDFILE (default .pam/moto.pid) and its log to
# $PAM_MOTO_LOG (default .pam/moto.log); stop it with: kill "$(cat .pam/moto.pid)"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/install.sh" >&2
port="${1:-0}"
if [ "$port" = "0" ]; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
pidfile="${PAM_MOTO_PIDFILE:-.pam/moto.pid}"
log="${PAM_MOTO_LOG:-.pam/moto.log}"
mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
nohup python3 "$here/serve.py" "$port" >"$log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 1 100); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "moto_server exited; see $log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "moto_server did not answer on port $port within 20 seconds; see $log" >&2
exit 1
