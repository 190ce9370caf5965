"""Runs moto's server on 127.0.0.1:PORT for PAM's AWS tests and demos.

    python3 Emulator/moto/serve.py PORT [--exit-with-parent]

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


def main() -> None:
    args = sys.argv[1:]
    if not args or not args[0].isdigit():
        sys.exit("usage: serve.py PORT [--exit-with-parent]")
    port = args[0]
    if "--exit-with-parent" in args:
        threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    from moto.server import main as moto_main

    moto_main(["-H", "127.0.0.1", "-p", port])


if __name__ == "__main__":
    main()
