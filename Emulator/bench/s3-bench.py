"""PutObject and GetObject of 256 KiB objects through boto3, against PAM's AWS endpoint and
against moto_server, in the same run with the same client code; prints requests/s, p50 and p99
of each, the server's own CPU time per request (user + system, from /proc: what the server
costs, whatever the client's speed), boto3's own CPU time per request (the bench process: what
caps the requests/s any server can show through one boto3 process), and PAM's ratio over moto.

    python3 Emulator/bench/s3-bench.py --pam .build/release/pam [--count 500] [--object-kib 256] [--threads 4]

`pam bench s3` runs this script with its own executable. Each server runs in a temporary folder
(pam serve --port 0 --aws-port 0; Emulator/moto/serve.py 0) that goes when the bench ends. Both
serve plain HTTP on loopback and are timed with one warm-up round first. Needs boto3 and moto
(Emulator/moto/install.sh).
"""
import argparse
import os
import sys
import time

import boto3
from botocore.config import Config

from benchlib import cpu_seconds, percentile, ready, start_moto, start_pam, timed, wait_for


def s3_client(endpoint, keys, threads):
    # The same client for both servers: path-style, botocore's default checksums, no retries
    # (a failure must show, not be hidden in a slower figure).
    config = Config(max_pool_connections=max(10, threads), retries={"max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    return boto3.session.Session().client("s3", endpoint_url=endpoint, aws_access_key_id=keys[0], aws_secret_access_key=keys[1],
                                          region_name="us-east-1", config=config)


def measure(endpoint, keys, bucket, count, body, threads, pid):
    client = s3_client(endpoint, keys, threads)
    names = [f"bench/{index:06d}.bin" for index in range(count)]

    def put(key):
        client.put_object(Bucket=bucket, Key=key, Body=body)

    def get(key):
        data = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        if len(data) != len(body):
            raise RuntimeError(f"GetObject {key}: {len(data)} bytes, expected {len(body)}")

    warm = [f"warm/{index:03d}.bin" for index in range(min(20, count))]
    timed(put, warm, threads)
    timed(get, warm, threads)
    results = {}
    for operation, function in (("PutObject", put), ("GetObject", get)):
        cpu_before, client_before = cpu_seconds(pid), time.process_time()
        seconds, latencies = timed(function, names, threads)
        cpu_after, client_after = cpu_seconds(pid), time.process_time()
        cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / count * 1000
        results[operation] = {"rps": count / seconds, "p50": percentile(latencies, 0.5) * 1000, "p99": percentile(latencies, 0.99) * 1000,
                              "cpu": cpu, "client": (client_after - client_before) / count * 1000}
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pam", required=True, help="the pam executable")
    parser.add_argument("--count", type=int, default=500, help="objects put, then got, per server")
    parser.add_argument("--object-kib", type=int, default=256)
    parser.add_argument("--threads", type=int, default=4, help="concurrent boto3 requests")
    args = parser.parse_args()
    if args.count < 1 or args.object_kib < 1 or args.threads < 1:
        sys.exit("--count, --object-kib and --threads must be positive")
    body = os.urandom(args.object_kib * 1024)
    results, servers = {}, []
    try:
        for start in (lambda: start_pam(args.pam), start_moto):
            server, endpoint, keys = start()
            servers.append(server)
            bucket = "pam-working" if server.name == "PAM" else "pam-bench"
            client = s3_client(endpoint, keys, 1)
            wait_for(lambda: ready(client, lambda c: c.list_buckets()), server.name, server.process)
            if server.name == "moto":
                client.create_bucket(Bucket=bucket)
            print(f"{server.name}: {args.count} x PutObject then GetObject of {args.object_kib} KiB, {args.threads} threads, at {endpoint}",
                  flush=True)
            results[server.name] = measure(endpoint, keys, bucket, args.count, body, args.threads, server.process.pid)
            server.stop()
    finally:
        for server in servers:
            server.stop()
    print()
    print(f"{'operation':<10} {'server':<6} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'server CPU ms/request':>22} "
          f"{'boto3 CPU ms/request':>21}")
    for operation in ("PutObject", "GetObject"):
        for name in ("PAM", "moto"):
            figures = results[name][operation]
            cpu = "-" if figures["cpu"] is None else f"{figures['cpu']:.2f}"
            print(f"{operation:<10} {name:<6} {figures['rps']:>11.1f} {figures['p50']:>8.2f} {figures['p99']:>8.2f} {cpu:>22} "
                  f"{figures['client']:>21.2f}")
    for operation in ("PutObject", "GetObject"):
        pam, moto = results["PAM"][operation], results["moto"][operation]
        line = f"{operation}: PAM {pam['rps'] / moto['rps']:.1f}x moto (requests/s)"
        if pam["cpu"] and moto["cpu"]:
            line += f"; moto uses {moto['cpu'] / pam['cpu']:.1f}x PAM's server CPU per request"
        # One Python process runs boto3 on one core at a time (the GIL): no server can be timed
        # faster through it than 1 / boto3's own CPU per request.
        line += f"; boto3 alone caps any server at {1000 / pam['client']:.0f} requests/s here"
        print(line)


if __name__ == "__main__":
    main()
