#!/usr/bin/env python3
"""Hostile load against `pam serve` on loopback (issue 8's "Done when"), Python stdlib only.

Starts `pam serve` from the given binary in a fresh temporary state on a free loopback port,
then, all at once:
  * the hostile requests of issue 8: a huge Range on a presigned GET and HEAD, the evil
    redirect_uri, CRLF in bundle labels, the outbox without a token, a slow-header connection,
    oversized bodies (JSON, a 26 MiB PUT, an endless chunked PUT);
  * 200 concurrent API requests;
  * six concurrent presigned uploads of a 10000x10000 *progressive* JPEG (its decode needs
    300 MB of coefficients) and six of a 10000x10000 baseline one (generated here, flat grey);
while one client measures `/api/labels` latency and the server's peak RSS (VmHWM) is read
from /proc. Prints the figures and exits 1 when `/api/labels` p99 >= 100 ms, peak RSS >= 256 MB,
or the server died. Loopback only; bounded in count and time (about a minute).

    swift build -c release
    python3 Emulator/load/hostile-load.py --pam .build/release/pam
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"


# --- JPEGs, written by hand: a flat grey 4:2:0 image of any size -------------------------------

class BitWriter:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.bits = 0

    def write(self, value, count):
        for shift in range(count - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> shift) & 1)
            self.bits += 1
            if self.bits == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing
                self.acc = 0
                self.bits = 0

    def zeros(self, count):
        """Many zero bits fast (no stuffing needed)."""
        while count and self.bits:
            self.write(0, 1)
            count -= 1
        self.out += bytes(count // 8)
        self.write(0, count % 8)

    def finish(self):
        if self.bits:
            self.write((1 << (8 - self.bits)) - 1, 8 - self.bits)  # pad with ones
        return bytes(self.out)


def segment(marker, body):
    return bytes([0xFF, marker]) + (len(body) + 2).to_bytes(2, "big") + body


def huffman_table(table_class, table_id, lengths, symbols):
    counts = bytes(lengths.get(length, 0) for length in range(1, 17))
    return segment(0xC4, bytes([table_class << 4 | table_id]) + counts + bytes(symbols))


def grey_jpeg(width, height, progressive):
    """A valid flat-grey YCbCr 4:2:0 JPEG: every DC difference is 0 and every AC coefficient is 0."""
    mcus = ((width + 15) // 16) * ((height + 15) // 16)
    head = b"\xFF\xD8" + segment(0xDB, bytes([0]) + bytes([1] * 64))
    frame = bytes([8]) + height.to_bytes(2, "big") + width.to_bytes(2, "big") + bytes([3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0])
    if not progressive:
        # One interleaved scan; DC table: one symbol (category 0) coded "0"; AC table: EOB coded "0".
        data = BitWriter()
        data.zeros(mcus * 6 * 2)
        return (head + segment(0xC0, frame) + huffman_table(0, 0, {1: 1}, [0]) + huffman_table(1, 0, {1: 1}, [0])
                + segment(0xDA, bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])) + data.finish() + b"\xFF\xD9")
    # Progressive: a DC scan of all components, then one AC scan (1..63) per component made of
    # EOB runs (EOBn symbols 0x00..0xE0, each a 4-bit code equal to n).
    dc = BitWriter()
    dc.zeros(mcus * 6)
    out = (head + segment(0xC2, frame) + huffman_table(0, 0, {1: 1}, [0])
           + segment(0xDA, bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0])) + dc.finish()
           + huffman_table(1, 0, {4: 15}, [n << 4 for n in range(15)]))
    for component, (h, v) in ((1, (2, 2)), (2, (1, 1)), (3, (1, 1))):
        blocks = (((width * h + 1) // 2 + 7) // 8) * (((height * v + 1) // 2 + 7) // 8)
        ac = BitWriter()
        while blocks:
            run = min(blocks, 32767)
            n = run.bit_length() - 1
            ac.write(n, 4)
            ac.write(run - (1 << n), n)
            blocks -= run
        out += segment(0xDA, bytes([1, component, 0x00, 1, 63, 0])) + ac.finish()
    return out + b"\xFF\xD9"


# --- HTTP ------------------------------------------------------------------------------------

class Server:
    def __init__(self, pam, state, port, config):
        self.port = port
        self.log = open(os.path.join(os.path.dirname(state), "serve.log"), "wb")
        self.process = subprocess.Popen([pam, "serve", "--state", state, "--port", str(port), "--aws-port", "0", "--config", config],
                                        cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.state = state
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request("GET", "/config.json", port=port, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"pam serve exited early with {self.process.returncode}")
            time.sleep(0.1)
        raise SystemExit("pam serve did not answer within 60 s")

    def alive(self):
        return self.process.poll() is None

    def peak_rss_kib(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))
        except (OSError, AttributeError):
            return None

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


PORT = None


def request(method, target, body=None, headers=None, port=None, timeout=30):
    """One request on a fresh connection; (status, headers, body)."""
    connection = http.client.HTTPConnection(HOST, port or PORT, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def api(method, path, token, payload=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    return request(method, path, body, headers)


def upload(token, name, data):
    status, _, body = api("PUT", "/api/upload", token, {"file_name": name})
    if status != 200:
        return status, body
    url = json.loads(body)["url"]
    status, _, body = request("PUT", path_of(url), data, {"Content-Type": "image/jpeg"}, timeout=120)
    return status, body


# --- the hostile requests --------------------------------------------------------------------

def presigned_get_link(server, token):
    """A bundle's presigned GET link: upload a fixture photo, bundle one of its labels, read the outbox."""
    photos = sorted(f for f in os.listdir(os.path.join(ROOT, "Fixtures/photos")) if f.endswith(".jpg"))
    with open(os.path.join(ROOT, "Fixtures/photos", photos[0]), "rb") as photo:
        status, body = upload(token, "fixture.jpg", photo.read())
    if status != 200:
        return None, [], f"fixture upload answered {status}"
    deadline = time.time() + 60
    while time.time() < deadline and json.loads(api("GET", "/api/status", token)[2]).get("pending") != 0:
        time.sleep(0.1)
    labels = list(json.loads(api("GET", "/api/labels", token)[2])["labels"])
    if not labels:
        return None, [], "the fixture photo has no label"
    api("POST", "/api/download", token, {"labels": labels[:1]})
    outbox = os.path.join(server.state, "outbox")
    while time.time() < deadline:
        for name in sorted(os.listdir(outbox)) if os.path.isdir(outbox) else []:
            with open(os.path.join(outbox, name), "rb") as message:
                match = re.search(rb"http://[^\s\"<>]+\.zip\?[^\s\"<>]+", message.read().replace(b"=\r\n", b""))
            if match:
                return match.group(0).decode().replace("=3D", "="), labels, None
        time.sleep(0.1)
    return None, labels, "no bundle link in the outbox"


def hostile(server, token, results, skip):
    try:
        hostile_requests(server, token, results, skip)
    except (OSError, ValueError, KeyError) as error:
        results.append(("hostile requests", f"stopped by {error.__class__.__name__}: {error}", False))


def hostile_requests(server, token, results, skip):
    def note(name, outcome, ok):
        results.append((name, outcome, ok and server.alive()))

    link, labels, why = presigned_get_link(server, token)
    if "range" in skip:
        note("huge Range", "skipped", True)
    elif link is None:
        note("huge Range", why, False)
    else:
        for method in ("GET", "HEAD"):
            try:
                status = request(method, path_of(link), headers={"Range": "bytes=0-9223372036854775807"})[0]
                note(f"huge Range ({method})", status, status in (200, 206, 416))
            except OSError as error:
                note(f"huge Range ({method})", f"connection failed: {error}", False)

    evil = "http://evil.example\\@127.0.0.1/"
    query = urllib.parse.urlencode({"response_type": "token", "client_id": "pam-local-client",
                                    "redirect_uri": evil, "state": "x"})
    status, headers, _ = request("GET", f"/oauth2/authorize?{query}")
    form = f"username=photographer&password=offline-photos&{query}".encode()
    posted, posted_headers, _ = request("POST", "/oauth2/authorize", form, {"Content-Type": "application/x-www-form-urlencoded"})
    location = posted_headers.get("Location", "")
    leaked = posted == 302 and "id_token" in location
    note("evil redirect_uri", f"GET {status}, POST {posted}{' → ' + location[:40] if location else ''}", not leaked)

    # One label that exists, so the request is not refused for that alone.
    crlf = labels[:1] + ["x\r\nBcc: victim@example.com\r\n\r\nURGENT: sign in at http://evil.example"]
    status = api("POST", "/api/download", token, {"labels": crlf})[0]
    note("CRLF labels", status, status == 400)

    status = request("GET", "/api/outbox")[0]
    note("outbox without token", status, status == 401)
    outbox = os.path.join(server.state, "outbox")
    for name in sorted(os.listdir(outbox))[:1] if os.path.isdir(outbox) else []:
        status = request("GET", f"/outbox/{name.rsplit('.', 1)[0][-36:]}")[0]
        note("a message without token", status, status in (401, 404))

    status = api("POST", "/api/download", token, {"labels": ["x" * 100_000]})[0]
    note("100 KB JSON body", status, status == 413)

    try:
        status, _ = upload(token, "big.jpg", bytes(26 << 20))
    except OSError as error:
        status = f"connection closed before an answer ({error.__class__.__name__})"
    note("26 MiB PUT", status, status == 413)

    note("endless chunked PUT", *chunked_over_limit(token))


def chunked_over_limit(token):
    status, _, body = api("PUT", "/api/upload", token, {"file_name": "endless.jpg"})
    target = path_of(json.loads(body)["url"])
    with socket.create_connection((HOST, PORT), timeout=30) as connection:
        connection.sendall(f"PUT {target} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: image/jpeg\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n".encode())
        chunk = b"100000\r\n" + bytes(1 << 20) + b"\r\n"
        try:
            for _ in range(40):  # 40 MiB at most, over the 25 MiB limit
                connection.sendall(chunk)
            connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: read what it said
        try:
            answer = connection.recv(4096).decode(errors="replace")
        except OSError as error:
            return f"no answer ({error})", False
    status = answer.split(" ", 2)[1] if answer.startswith("HTTP/1.1 ") else answer[:20]
    return status, status == "413"


def slow_header(results, seconds):
    """Sends one header byte a second; a server with a header time-out closes the connection."""
    start = time.time()
    try:
        with socket.create_connection((HOST, PORT), timeout=5) as connection:
            connection.sendall(b"GET /api/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            connection.settimeout(1)
            while time.time() - start < seconds:
                try:
                    if connection.recv(4096) == b"":
                        break  # closed by the server
                except socket.timeout:
                    pass
                connection.sendall(b"a")
            else:
                results.append(("slow-header connection", f"still open after {seconds} s", False))
                return
    except OSError:
        pass
    results.append(("slow-header connection", f"closed by the server after {time.time() - start:.1f} s", True))


# --- load --------------------------------------------------------------------------------------

def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pam", default=os.path.join(ROOT, ".build/release/pam"), help="the pam binary")
    parser.add_argument("--config", default=os.path.join(ROOT, "Emulator/pam.json"))
    parser.add_argument("--size", type=int, default=10_000, help="side of the large JPEGs (default 10000)")
    parser.add_argument("--concurrent", type=int, default=200, help="concurrent API requests (default 200)")
    parser.add_argument("--slow-seconds", type=int, default=30, help="how long the slow-header client keeps trying")
    parser.add_argument("--skip", action="append", default=[], choices=["range"],
                        help="leave out a hostile request (range: it kills a server without the fix)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary state folder")
    options = parser.parse_args()

    progressive = grey_jpeg(options.size, options.size, progressive=True)
    baseline = grey_jpeg(options.size, options.size, progressive=False)
    print(f"JPEGs: {options.size}x{options.size} progressive {len(progressive):,} bytes, baseline {len(baseline):,} bytes")

    folder = tempfile.mkdtemp(prefix="pam-hostile-")
    state = os.path.join(folder, "state")
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        PORT = probe.getsockname()[1]
    server = Server(options.pam, state, PORT, options.config)
    failures = []
    try:
        token = subprocess.run([options.pam, "token", "--state", state, "--base-url", f"http://{HOST}:{PORT}"],
                               cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
        results = []
        latencies = []
        probe_errors = []
        peaks = []
        stop = threading.Event()

        def probe_labels():
            while not stop.is_set():
                peaks.append(server.peak_rss_kib() or 0)
                began = time.perf_counter()
                try:
                    status = api("GET", "/api/labels", token)[0]
                except OSError as error:
                    status = error.__class__.__name__
                latencies.append((time.perf_counter() - began) * 1000)
                if status != 200:
                    probe_errors.append(status)
                time.sleep(0.01)

        uploads = []

        def large_upload(index, data, kind):
            status, body = upload(token, f"large-{kind}-{index}.jpg", data)
            uploads.append((kind, status, body[:120].decode(errors="replace")))

        api_answers = []
        barrier = threading.Barrier(options.concurrent)

        def api_request(index):
            barrier.wait()
            path = ("/api/labels", "/api/status", "/api/labels", "/api/upload")[index % 4]
            try:
                if path == "/api/upload":
                    status = api("PUT", path, token, {"file_name": f"x{index}.jpg"})[0]
                else:
                    status = api("GET", path, token)[0]
            except OSError as error:
                status = str(error)
            api_answers.append(status)

        threads = [threading.Thread(target=probe_labels)]
        threads += [threading.Thread(target=slow_header, args=(results, options.slow_seconds))]
        threads += [threading.Thread(target=hostile, args=(server, token, results, options.skip))]
        threads += [threading.Thread(target=large_upload, args=(i, progressive, "progressive")) for i in range(6)]
        threads += [threading.Thread(target=large_upload, args=(i, baseline, "baseline")) for i in range(6)]
        threads += [threading.Thread(target=api_request, args=(i,)) for i in range(options.concurrent)]
        began = time.time()
        for thread in threads:
            thread.start()
        for thread in threads[1:]:
            thread.join(timeout=180)
        # Let the analyses of the accepted photos finish while the probe keeps measuring.
        deadline = time.time() + 60
        while server.alive() and time.time() < deadline:
            try:
                if json.loads(api("GET", "/api/status", token)[2]).get("pending") == 0:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        stop.set()
        threads[0].join()
        elapsed = time.time() - began

        print(f"\n{len(threads)} client threads, {elapsed:.1f} s; server {'alive' if server.alive() else 'DEAD'}")
        print("\nhostile requests:")
        for name, outcome, ok in results:
            print(f"  {'ok ' if ok else 'BAD'} {name}: {outcome}")
            if not ok:
                failures.append(name)
        by_status = {}
        for status in api_answers:
            by_status[status] = by_status.get(status, 0) + 1
        print(f"\n{options.concurrent} concurrent API requests: {by_status}")
        if any(status not in (200,) for status in api_answers):
            failures.append("concurrent API requests")
        print("\nlarge uploads:")
        for kind in ("progressive", "baseline"):
            answers = [(status, body) for k, status, body in uploads if k == kind]
            print(f"  {kind}: statuses {sorted(status for status, _ in answers)}")
            refused = next((body for status, body in answers if status != 200), None)
            if refused:
                print(f"    e.g. {refused!r}")
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        peak = max(peaks + [server.peak_rss_kib() or 0]) or None
        if probe_errors:
            print(f"\n/api/labels failed {len(probe_errors)} times during the load: {sorted(set(map(str, probe_errors)))}")
            failures.append("/api/labels answers")
        print(f"\n/api/labels latency over {len(latencies)} requests: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
              f"max {max(latencies):.1f} ms (target p99 < 100 ms)")
        print(f"server peak RSS (VmHWM): {peak / 1024:.1f} MiB (target < 256 MB)" if peak else "server peak RSS: unknown")
        if p99 >= 100:
            failures.append("p99 latency")
        if peak is None or peak * 1024 >= 256_000_000:
            failures.append("peak RSS")
        if not server.alive():
            failures.append("server died")
    finally:
        server.stop()
        if options.keep:
            print(f"state kept in {folder}")
        else:
            subprocess.run(["rm", "-rf", folder])
    print(f"\n{'FAIL: ' + ', '.join(failures) if failures else 'PASS'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
