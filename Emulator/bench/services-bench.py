"""DynamoDB and Rekognition through boto3, against PAM's AWS endpoint and against moto_server, in
the same run with the same client code: UpdateItem (the reference handlers' conditional count),
GetItem, a whole Scan of 1,000 items, and DetectLabels of a 1024x768 photo from S3; prints
requests/s, p50 and p99 of each, the server's own CPU time per request, and PAM's ratio over moto.

    python3 Emulator/bench/services-bench.py --pam .build-release/release/pam [--count 500] [--threads 1]

moto answers DetectLabels with canned labels without looking at the photo; PAM decodes it and runs
its labeler. Needs boto3 and moto (Emulator/moto/install.sh).
"""
import argparse
import glob
import os
import sys
import time

import boto3
from botocore.config import Config

from benchlib import cpu_seconds, percentile, ready, start_moto, start_pam, timed, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))


def client(service, endpoint, keys, threads):
    config = Config(max_pool_connections=max(10, threads), retries={"max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    return boto3.session.Session().client(service, endpoint_url=endpoint, aws_access_key_id=keys[0],
                                          aws_secret_access_key=keys[1], region_name="us-east-1", config=config)


def create_table(dynamodb, name):
    dynamodb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "Label", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "Label", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")


def measure(server, endpoint, keys, count, threads, photo):
    dynamodb = client("dynamodb", endpoint, keys, threads)
    rekognition = client("rekognition", endpoint, keys, threads)
    s3 = client("s3", endpoint, keys, threads)
    wait_for(lambda: ready(dynamodb, lambda c: c.list_tables()), server.name, server.process)
    create_table(dynamodb, "bench-labels")
    create_table(dynamodb, "bench-scan")
    for start in range(0, 1000, 25):
        dynamodb.batch_write_item(RequestItems={"bench-scan": [
            {"PutRequest": {"Item": {"Label": {"S": f"label-{index:04d}"}, "Count": {"N": str(index)},
                                     "Images": {"SS": [f"photo-{index}-{n}.jpg" for n in range(5)]}}}}
            for index in range(start, start + 25)]})
    bucket = "pam-storage" if server.name == "PAM" else "bench-photos"
    if server.name != "PAM":
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="bench/photo.jpg", Body=photo)

    def update(index):
        # The reference handlers' exactly-once count: one image added to one of 50 labels.
        dynamodb.update_item(
            TableName="bench-labels", Key={"Label": {"S": f"label-{index % 50}"}},
            UpdateExpression="ADD #count :one, Images :image", ConditionExpression="NOT contains(Images, :key)",
            ExpressionAttributeNames={"#count": "Count"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":image": {"SS": [f"photo-{index}.jpg"]}, ":key": {"S": f"photo-{index}.jpg"}})

    def get(index):
        dynamodb.get_item(TableName="bench-labels", Key={"Label": {"S": f"label-{index % 50}"}})

    def scan(_):
        items, start = 0, None
        while True:
            page = dynamodb.scan(TableName="bench-scan", **({"ExclusiveStartKey": start} if start else {}))
            items += len(page["Items"])
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        if items != 1000:
            raise RuntimeError(f"Scan read {items} items, expected 1000")

    def detect(_):
        rekognition.detect_labels(Image={"S3Object": {"Bucket": bucket, "Name": "bench/photo.jpg"}}, MaxLabels=10, MinConfidence=70)

    results = {}
    for operation, function, calls in (("UpdateItem", update, count), ("GetItem", get, count), ("Scan 1,000", scan, max(5, count // 25)),
                                       ("DetectLabels", detect, max(10, count // 5))):
        timed(function, range(min(10, calls)), threads)  # warm-up
        cpu_before = cpu_seconds(server.process.pid)
        seconds, latencies = timed(function, range(10, 10 + calls), threads)
        cpu_after = cpu_seconds(server.process.pid)
        cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / calls * 1000
        results[operation] = {"rps": calls / seconds, "p50": percentile(latencies, 0.5) * 1000,
                              "p99": percentile(latencies, 0.99) * 1000, "cpu": cpu}
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pam", required=True, help="the pam executable")
    parser.add_argument("--count", type=int, default=500, help="UpdateItem and GetItem calls per server (Scan: count/25, DetectLabels: count/5)")
    parser.add_argument("--threads", type=int, default=1, help="concurrent boto3 requests")
    parser.add_argument("--photo", default=None, help="a JPEG (default: the first of Fixtures/photos)")
    args = parser.parse_args()
    if args.count < 1 or args.threads < 1:
        sys.exit("--count and --threads must be positive")
    photo_path = args.photo or sorted(glob.glob(os.path.join(HERE, "..", "..", "Fixtures", "photos", "*.jpg")))[0]
    with open(photo_path, "rb") as handle:
        photo = handle.read()
    results, servers = {}, []
    try:
        for start in (lambda: start_pam(args.pam), start_moto):
            server, endpoint, keys = start()
            servers.append(server)
            print(f"{server.name}: DynamoDB and DetectLabels through boto3, {args.threads} thread(s), at {endpoint}", flush=True)
            results[server.name] = measure(server, endpoint, keys, args.count, args.threads, photo)
            server.stop()
    finally:
        for server in servers:
            server.stop()
    print()
    print(f"{'operation':<13} {'server':<6} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'server CPU ms/request':>22}")
    for operation in results["PAM"]:
        for name in ("PAM", "moto"):
            figures = results[name][operation]
            cpu = "-" if figures["cpu"] is None else f"{figures['cpu']:.2f}"
            print(f"{operation:<13} {name:<6} {figures['rps']:>11.1f} {figures['p50']:>8.2f} {figures['p99']:>8.2f} {cpu:>22}")
    for operation in results["PAM"]:
        pam, moto = results["PAM"][operation], results["moto"][operation]
        line = f"{operation}: PAM {pam['rps'] / moto['rps']:.1f}x moto (requests/s)"
        if pam["cpu"] and moto["cpu"]:
            line += f"; moto uses {moto['cpu'] / pam['cpu']:.1f}x PAM's server CPU per request"
        print(line)


if __name__ == "__main__":
    main()
