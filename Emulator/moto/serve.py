"""Runs moto's server on 127.0.0.1:PORT for PAM's AWS tests and demos.

    python3 Emulator/moto/serve.py PORT [--port-file FILE] [--exit-with-parent]

PORT 0 lets the system pick a free port (no other process can take it between choosing and
binding). Once the server is bound it prints "moto_server listening on http://127.0.0.1:<port>"
and, with --port-file, writes the port to FILE (whole: a temporary file renamed into place).
With --exit-with-parent the server stops as soon as the process that started it is gone, so a
test run that crashes leaves no server behind. Any environment variable moto reads (for example
INITIAL_NO_AUTH_ACTION_COUNT, which turns request-signature checking on after that many requests)
passes through.
"""
import os
import sys
import threading
import time


def watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def write_whole(path: str, text: str) -> None:
    temporary = f"{path}.{os.getpid()}.part"
    with open(temporary, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def main() -> None:
    args = sys.argv[1:]
    if not args or not args[0].isdigit():
        sys.exit("usage: serve.py PORT [--port-file FILE] [--exit-with-parent]")
    port = int(args[0])
    port_file = None
    if "--port-file" in args:
        index = args.index("--port-file")
        if index + 1 >= len(args):
            sys.exit("--port-file needs a file name")
        port_file = args[index + 1]
    if "--exit-with-parent" in args:
        threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    # The same WSGI application moto_server runs, bound by us so port 0 works and is reported.
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    os.environ.setdefault("MOTO_PORT", str(bound))  # as moto_server sets it, for URLs moto builds
    print(f"moto_server listening on http://{host}:{bound}", flush=True)
    if port_file:
        write_whole(port_file, f"{bound}\n")
    # Serve until killed: SIGTERM's default action ends the process, as it did moto_server.
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
