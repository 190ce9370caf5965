"""What PAM's benchmarks against moto share: each server in a temporary folder of its own (pam serve
with --port 0 --aws-port 0, Emulator/moto/serve.py 0), stopped and removed afterwards; timing on
threads with latencies; percentiles; a process's CPU seconds from /proc."""
import array
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))


def wait_for(condition, what, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process.poll() is not None:
            sys.exit(f"{what} exited during start-up (status {process.returncode})")
        time.sleep(0.1)
    sys.exit(f"{what} did not start within {seconds} s")


class Server:
    """A server process in its own temporary folder; stopped (and the folder removed) by stop()."""

    def __init__(self, name, command, folder):
        self.name, self.folder = name, folder
        self.log = open(os.path.join(folder, "server.log"), "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=folder)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def work_folder(prefix):
    """A fresh folder under ~/.cache/pam/bench-serve, as `pam bench` keeps its work (see BenchWork.swift):
    on the disk a user's state lives on, not /tmp, and under a folder marked as a top of directory
    hierarchies (ext4's `chattr +T`), so that each server's folder lands in a block group of its own. ext4
    without a journal skips recently freed inodes: beside thousands of files just deleted (the previous
    run's, or compilers' in /tmp) creating a file was measured at 190-530 us instead of 13-23 us."""
    parent = os.path.join(os.path.expanduser("~"), ".cache", "pam", "bench-serve")
    os.makedirs(parent, exist_ok=True)
    try:
        descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            flags = array.array("i", [0])
            fcntl.ioctl(descriptor, 0x80086601, flags, True)  # FS_IOC_GETFLAGS
            flags[0] |= 0x00020000  # FS_TOPDIR_FL
            fcntl.ioctl(descriptor, 0x40086602, flags)  # FS_IOC_SETFLAGS
        finally:
            os.close(descriptor)
    except OSError:
        pass  # not ext2/3/4: nothing to mark
    return tempfile.mkdtemp(prefix=prefix, dir=parent)


def start_pam(pam):
    folder = work_folder("pam-bench-s3-")
    state = os.path.join(folder, "state")
    server = Server("PAM", [os.path.abspath(pam), "serve", "--state", state, "--port", "0", "--aws-port", "0"], folder)

    def recorded():
        try:
            with open(os.path.join(state, "serve.json")) as handle:
                record = json.load(handle)
            return record.get("pid") == server.process.pid and record.get("awsPort")
        except (OSError, ValueError):
            return None

    port = wait_for(recorded, "pam serve", server.process)
    return server, f"http://127.0.0.1:{port}", ("pam", "pam-local-secret")


def start_moto():
    folder = work_folder("pam-bench-moto-")
    port_file = os.path.join(folder, "port")
    server = Server("moto", [sys.executable, os.path.join(HERE, "..", "moto", "serve.py"), "0", "--port-file", port_file,
                             "--exit-with-parent"], folder)

    def bound():
        try:
            with open(port_file) as handle:
                return int(handle.read().strip())
        except (OSError, ValueError):
            return None

    port = wait_for(bound, "moto_server", server.process)
    return server, f"http://127.0.0.1:{port}", ("testing", "testing")


def ready(client, probe):
    """Whether `probe(client)` answers yet (a server is bound before it serves)."""
    try:
        probe(client)
        return True
    except Exception:  # not answering yet
        return False


def timed(function, items, threads):
    """Runs function(item) for every item on `threads` threads; answers (seconds, latencies)."""
    latencies, lock = [], threading.Lock()

    def one(item):
        started = time.perf_counter()
        function(item)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, items))
    return time.perf_counter() - started, latencies


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def cpu_seconds(pid):
    """The process's user + system CPU seconds so far (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
