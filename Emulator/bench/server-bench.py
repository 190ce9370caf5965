"""pam serve under load, on loopback: GET /api/labels with 100,000 photos under 1,000 labels (p50/p99),
and presigned uploads through the app's API, 1,000 at once, timed until every photo is analysed and
counted. Peers in the same run: the reference stack's label listing (a whole DynamoDB Scan of the
same table) on moto_server, and the same presigned uploads to moto's S3 (which stores them and
analyses nothing).

    python3 Emulator/bench/server-bench.py --pam .build-release/release/pam [--photos 100000] [--labels 1000]
        [--requests 2000] [--uploads 1000] [--concurrency 1000] [--upload-kib 256]

Bounded: one pam serve (and one moto_server) at a time, on 127.0.0.1, each in a temporary folder
removed afterwards. Needs boto3 and moto (Emulator/moto/install.sh).
"""
import argparse
import asyncio
import glob
import http.client
import json
import os
import random
import sys
import time
import urllib.parse

import boto3
from botocore.config import Config

from benchlib import cpu_seconds, percentile, ready, start_moto, start_pam

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = "pam-labels"


def client(service, endpoint, keys, threads=10):
    config = Config(max_pool_connections=threads, retries={"max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    return boto3.session.Session().client(service, endpoint_url=endpoint, aws_access_key_id=keys[0],
                                          aws_secret_access_key=keys[1], region_name="us-east-1", config=config)


def app_address(server):
    with open(os.path.join(server.folder, "state", "serve.json")) as handle:
        return "127.0.0.1", json.load(handle)["port"]


def request(address, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(*address, timeout=600)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def sign_in(address):
    """The local sign-in's implicit flow, as the page does it: an id token."""
    redirect = f"http://{address[0]}:{address[1]}/"
    form = urllib.parse.urlencode({"username": "photographer", "password": "offline-photos", "response_type": "token",
                                   "client_id": "pam-local-client", "redirect_uri": redirect, "state": "bench"})
    status, headers, _ = request(address, "POST", "/oauth2/authorize", form,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    fragment = urllib.parse.parse_qs(headers.get("Location", "").partition("#")[2])
    if status != 302 or "id_token" not in fragment:
        sys.exit(f"sign-in failed: {status}")
    return fragment["id_token"][0]


def label_items(photos, labels, per_photo):
    """`labels` items of the reference schema: every photo under `per_photo` labels, spread evenly."""
    images = [[] for _ in range(labels)]
    generator = random.Random(7)
    for photo in range(photos):
        for label in generator.sample(range(labels), per_photo):
            images[label].append(f"{photo:06d}-photo.jpg")
    return [{"Label": {"S": f"Label{index:04d}"}, "Count": {"N": str(len(keys))}, "Images": {"SS": keys}}
            for index, keys in enumerate(images) if keys]


def seed(dynamodb, items):
    for start in range(0, len(items), 25):
        batch = {TABLE: [{"PutRequest": {"Item": item}} for item in items[start:start + 25]]}
        while batch:
            batch = dynamodb.batch_write_item(RequestItems=batch).get("UnprocessedItems") or None


def latencies_of(call, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def figures(times, cpu):
    return {"p50": percentile(times, 0.5) * 1000, "p99": percentile(times, 0.99) * 1000, "rps": len(times) / sum(times),
            "cpu": cpu}


def labels_on_pam(args, items):
    server, endpoint, keys = start_pam(args.pam)
    try:
        dynamodb = client("dynamodb", endpoint, keys)
        seed(dynamodb, items)
        address = app_address(server)
        token = sign_in(address)
        connection = http.client.HTTPConnection(*address, timeout=60)
        headers = {"Authorization": f"Bearer {token}"}

        def get():
            connection.request("GET", "/api/labels", headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            if answer.status != 200:
                sys.exit(f"GET /api/labels: {answer.status} {body[:200]!r}")
            return body

        shown = json.loads(get())["labels"]
        if len(shown) != len(items) or sum(entry["count"] for entry in shown.values()) != args.photos * args.per_photo:
            sys.exit(f"GET /api/labels shows {len(shown)} labels, not the {len(items)} seeded")
        latencies_of(get, 50)
        before = cpu_seconds(server.process.pid)
        times = latencies_of(get, args.requests)
        after = cpu_seconds(server.process.pid)
        cpu = None if before is None or after is None else (after - before) / args.requests * 1000
        return figures(times, cpu)
    finally:
        server.stop()


def labels_on_moto(args, items):
    server, endpoint, keys = start_moto()
    try:
        dynamodb = client("dynamodb", endpoint, keys)
        while not ready(dynamodb, lambda c: c.list_tables()):
            time.sleep(0.1)
        dynamodb.create_table(TableName=TABLE, AttributeDefinitions=[{"AttributeName": "Label", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "Label", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
        seed(dynamodb, items)

        def scan():
            pages = dynamodb.get_paginator("scan").paginate(TableName=TABLE, ProjectionExpression="#l, #c",
                                                           ExpressionAttributeNames={"#l": "Label", "#c": "Count"})
            counted = sum(len(page["Items"]) for page in pages)
            if counted != len(items):
                sys.exit(f"moto's Scan found {counted} labels, not {len(items)}")

        scan()
        count = max(5, args.requests // 100)
        before = cpu_seconds(server.process.pid)
        times = latencies_of(scan, count)
        after = cpu_seconds(server.process.pid)
        cpu = None if before is None or after is None else (after - before) / count * 1000
        return figures(times, cpu)
    finally:
        server.stop()


def upload_bodies(count, kib):
    """`count` distinct JPEGs of exactly `kib` KiB: fixture photos padded with comment segments."""
    usable = []
    for path in sorted(glob.glob(os.path.join(HERE, "..", "..", "Fixtures", "photos", "*.jpg"))):
        with open(path, "rb") as handle:
            jpeg = handle.read()
        if len(jpeg) <= kib * 1024 - 16:
            usable.append(jpeg)
    if not usable:
        sys.exit(f"no fixture photo is under {kib} KiB")
    padded = []
    for index in range(count):
        jpeg = usable[index % len(usable)]
        missing = kib * 1024 - len(jpeg)
        segments = b""
        tag = f"pam-bench {index} ".encode()
        while missing > 0:
            size = min(missing, 65535 + 2)
            if missing - size in (1, 2, 3):
                size -= 4
            payload = (tag * (size // len(tag) + 1))[:size - 4]
            segments += b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
            missing -= size
        padded.append(jpeg[:2] + segments + jpeg[2:])
    return padded


class Connection:
    """One HTTP/1.1 connection, kept alive between requests (as a browser keeps it)."""

    def __init__(self, reader, writer, address):
        self.reader, self.writer, self.address = reader, writer, address

    @classmethod
    async def open(cls, address):
        return cls(*await asyncio.open_connection(*address), address)

    async def request(self, method, path, body=b"", headers=None):
        """Status and body of one request."""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.address[0]}:{self.address[1]}",
                f"Content-Length: {len(body)}"] + [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        self.writer.write(body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self):
        self.writer.close()


def put_all(address, target, bodies, concurrency):
    """Uploads bodies[i], at most `concurrency` at once, each on a connection of its own: `target`
    (a coroutine function of the connection and i) answers the path to PUT to — for PAM the app's
    `PUT /api/upload` on that connection, as a page would ask it — then the PUT (all together when
    they all fit at once; a failed target fails the upload before anyone waits). One asyncio loop
    on one thread: the client's own CPU per upload is a fraction of a thread per upload's, and it
    shares the two cores with the server being measured."""
    async def run():
        gate = asyncio.Semaphore(concurrency)
        # When all fit at once, the PUTs start together once every upload has its path.
        together = concurrency >= len(bodies)
        waiting = [len(bodies)]
        everyone = asyncio.Event()

        async def upload(index):
            async with gate:
                connection = await Connection.open(address)
                try:
                    path = await target(connection, index)
                    if together:
                        waiting[0] -= 1
                        if waiting[0] == 0:
                            everyone.set()
                        await everyone.wait()
                    status, answer = await connection.request("PUT", path, bodies[index], {"Content-Type": "image/jpeg"})
                finally:
                    connection.close()
                return None if status == 200 else f"PUT {status} {answer[:120]!r}"

        return [failure for failure in await asyncio.gather(*(upload(index) for index in range(len(bodies)))) if failure]

    failures = asyncio.run(run())
    if failures:
        sys.exit(f"{len(failures)} of {len(bodies)} uploads failed, e.g. {failures[0]}")


def uploads_on_pam(args, bodies):
    server, _, _ = start_pam(args.pam)
    try:
        address = app_address(server)
        token = sign_in(address)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        async def target(connection, index):
            status, answer = await connection.request("PUT", "/api/upload",
                                                      json.dumps({"file_name": f"bench-{index}.jpg"}).encode(), headers)
            if status != 200:
                sys.exit(f"PUT /api/upload: {status} {answer[:120]!r}")
            url = urllib.parse.urlsplit(json.loads(answer)["url"])
            return f"{url.path}?{url.query}"

        before = cpu_seconds(server.process.pid)
        client_before = time.process_time()
        started = time.perf_counter()
        put_all(address, target, bodies, args.concurrency)
        uploaded = time.perf_counter() - started
        client_cpu = (time.process_time() - client_before) / len(bodies) * 1000
        while True:
            status, _, answer = request(address, "GET", "/api/status", headers={"Authorization": f"Bearer {token}"})
            if status == 200 and json.loads(answer)["pending"] == 0:
                break
            time.sleep(0.01)
        analysed = time.perf_counter() - started
        after = cpu_seconds(server.process.pid)
        stored = len(glob.glob(os.path.join(server.folder, "state", "objects", "pam-storage", "*")))
        if stored != len(bodies):
            sys.exit(f"{stored} photos stored, not {len(bodies)}")
        cpu = None if before is None or after is None else (after - before) / len(bodies) * 1000
        return {"uploaded": len(bodies) / uploaded, "analysed": len(bodies) / analysed, "seconds": analysed, "cpu": cpu,
                "client": client_cpu}
    finally:
        server.stop()


def uploads_on_moto(args, bodies):
    server, endpoint, keys = start_moto()
    try:
        s3 = client("s3", endpoint, keys)
        while not ready(s3, lambda c: c.list_buckets()):
            time.sleep(0.1)
        s3.create_bucket(Bucket="pam-storage")
        host = urllib.parse.urlsplit(endpoint)
        address = (host.hostname, host.port)
        urls = [urllib.parse.urlsplit(s3.generate_presigned_url("put_object", Params={
            "Bucket": "pam-storage", "Key": f"bench-{index}.jpg", "ContentType": "image/jpeg"}, ExpiresIn=900))
            for index in range(len(bodies))]
        async def target(connection, index):
            return f"{urls[index].path}?{urls[index].query}"

        before = cpu_seconds(server.process.pid)
        client_before = time.process_time()
        started = time.perf_counter()
        put_all(address, target, bodies, args.moto_concurrency)
        seconds = time.perf_counter() - started
        client_cpu = (time.process_time() - client_before) / len(bodies) * 1000
        after = cpu_seconds(server.process.pid)
        cpu = None if before is None or after is None else (after - before) / len(bodies) * 1000
        return {"uploaded": len(bodies) / seconds, "seconds": seconds, "cpu": cpu, "client": client_cpu}
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pam", required=True, help="the pam executable")
    parser.add_argument("--photos", type=int, default=100_000, help="photos in the label table")
    parser.add_argument("--labels", type=int, default=1_000, help="labels in the label table")
    parser.add_argument("--per-photo", type=int, default=5, help="labels per photo")
    parser.add_argument("--requests", type=int, default=2_000, help="GET /api/labels requests timed")
    parser.add_argument("--uploads", type=int, default=1_000, help="photos uploaded")
    parser.add_argument("--concurrency", type=int, default=1_000, help="uploads in flight at once")
    parser.add_argument("--moto-concurrency", type=int, default=64,
                        help="uploads in flight at once to moto (its server resets connections past its listen backlog)")
    parser.add_argument("--upload-kib", type=int, default=256, help="size of each upload")
    args = parser.parse_args()
    if min(args.photos, args.labels, args.requests, args.uploads, args.concurrency, args.moto_concurrency, args.upload_kib) < 1:
        sys.exit("every count must be positive")
    args.per_photo = max(1, min(args.per_photo, args.labels))
    load = os.getloadavg()[0]

    items = label_items(args.photos, args.labels, args.per_photo)
    print(f"GET /api/labels: {args.photos:,} photos x {args.per_photo} labels under {len(items):,} labels, "
          f"{args.requests:,} requests on one connection", flush=True)
    pam_labels = labels_on_pam(args, items)
    moto_scan = labels_on_moto(args, items)
    bodies = upload_bodies(args.uploads, args.upload_kib)
    print(f"uploads: {args.uploads:,} photos of {args.upload_kib} KiB, {args.concurrency:,} at once", flush=True)
    pam_uploads = uploads_on_pam(args, bodies)
    moto_uploads = uploads_on_moto(args, bodies)

    def cpu(value):
        return "-" if value is None else f"{value:.2f}"

    print()
    print(f"{'listing all labels':<44} {'p50 ms':>8} {'p99 ms':>8} {'requests/s':>11} {'server CPU ms/request':>22}")
    print(f"{'PAM GET /api/labels':<44} {pam_labels['p50']:>8.2f} {pam_labels['p99']:>8.2f} {pam_labels['rps']:>11.1f} "
          f"{cpu(pam_labels['cpu']):>22}")
    print(f"{'moto DynamoDB Scan of the same table (boto3)':<44} {moto_scan['p50']:>8.2f} {moto_scan['p99']:>8.2f} "
          f"{moto_scan['rps']:>11.1f} {cpu(moto_scan['cpu']):>22}")
    print()
    print(f"{'uploads':<44} {'stored/s':>9} {'analysed/s':>11} {'seconds':>8} {'server CPU ms/photo':>20} "
          f"{'client CPU ms/photo':>20}")
    print(f"{'PAM: API + presigned PUT, analysed, counted':<44} {pam_uploads['uploaded']:>9.1f} {pam_uploads['analysed']:>11.1f} "
          f"{pam_uploads['seconds']:>8.2f} {cpu(pam_uploads['cpu']):>20} {cpu(pam_uploads['client']):>20}")
    print(f"{f'moto: presigned PUT only, {args.moto_concurrency} at once':<44} {moto_uploads['uploaded']:>9.1f} {'-':>11} {moto_uploads['seconds']:>8.2f} "
          f"{cpu(moto_uploads['cpu']):>20} {cpu(moto_uploads['client']):>20}")
    print()
    print(f"GET /api/labels p99 {pam_labels['p99']:.2f} ms (target < 5 ms); moto's Scan p99 {moto_scan['p99']:.1f} ms")
    print(f"uploads analysed end to end: {pam_uploads['analysed']:.0f} photos/s (target >= 400); "
          f"moto stores {moto_uploads['uploaded']:.0f}/s and analyses none")
    print(f"load average at start {load:.1f}, at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
