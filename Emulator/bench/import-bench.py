"""The photo pipeline through boto3 against moto_server, as the peer of `pam import` in
`pam bench import`: for each photo, what the reference stack does on AWS — PutObject to the storage
bucket, DetectLabels on the stored object, one conditional UpdateItem per label (the reference
handlers' exactly-once count) and PutObjectTagging to mark it analysed — on --threads threads.

    python3 Emulator/bench/import-bench.py PHOTO_FOLDER [--threads 2] [--count N]

Prints one line `moto pipeline: N photos in S s = R photos/s; server CPU C ms/photo` (moto_server
started in a temporary folder, timed from the first PutObject to the last tag, without start-up).
moto answers DetectLabels with canned labels without looking at the photo, so its figure is a peer's
request handling, not a labeller's work. Needs boto3 and moto (Emulator/moto/install.sh).
"""
import argparse
import glob
import os
import sys

import boto3
from botocore.config import Config

from benchlib import cpu_seconds, ready, start_moto, timed, wait_for


def client(service, endpoint, keys, threads):
    config = Config(max_pool_connections=max(10, threads), retries={"max_attempts": 1, "mode": "standard"},
                    s3={"addressing_style": "path"})
    return boto3.session.Session().client(service, endpoint_url=endpoint, aws_access_key_id=keys[0],
                                          aws_secret_access_key=keys[1], region_name="us-east-1", config=config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder of .jpg photos")
    parser.add_argument("--threads", type=int, default=2, help="photos in flight at once")
    parser.add_argument("--count", type=int, default=0, help="photos to run (default: all in the folder)")
    args = parser.parse_args()
    if args.threads < 1 or args.count < 0:
        sys.exit("--threads must be positive and --count not negative")
    paths = sorted(glob.glob(os.path.join(args.folder, "*.jpg")))
    if args.count:
        paths = paths[:args.count]
    if not paths:
        sys.exit(f"no .jpg photos in {args.folder}")
    server, endpoint, keys = start_moto()
    try:
        s3 = client("s3", endpoint, keys, args.threads)
        rekognition = client("rekognition", endpoint, keys, args.threads)
        dynamodb = client("dynamodb", endpoint, keys, args.threads)
        wait_for(lambda: ready(s3, lambda c: c.list_buckets()), server.name, server.process)
        bucket, table = "bench-storage", "bench-labels"
        s3.create_bucket(Bucket=bucket)
        dynamodb.create_table(TableName=table, AttributeDefinitions=[{"AttributeName": "Label", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "Label", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")

        def pipeline(path):
            with open(path, "rb") as handle:
                body = handle.read()
            key = os.path.basename(path)
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="image/jpeg")
            labels = rekognition.detect_labels(Image={"S3Object": {"Bucket": bucket, "Name": key}}, MaxLabels=10,
                                               MinConfidence=70)["Labels"]
            for label in labels:
                try:
                    dynamodb.update_item(
                        TableName=table, Key={"Label": {"S": label["Name"]}},
                        UpdateExpression="ADD #count :one, Images :image", ConditionExpression="NOT contains(Images, :key)",
                        ExpressionAttributeNames={"#count": "Count"},
                        ExpressionAttributeValues={":one": {"N": "1"}, ":image": {"SS": [key]}, ":key": {"S": key}})
                except dynamodb.exceptions.ConditionalCheckFailedException:
                    pass  # already counted: the exactly-once rule
            s3.put_object_tagging(Bucket=bucket, Key=key, Tagging={"TagSet": [{"Key": "rekognition", "Value": "complete"}]})

        cpu_before = cpu_seconds(server.process.pid)
        seconds, _ = timed(pipeline, paths, args.threads)
        cpu_after = cpu_seconds(server.process.pid)
        cpu = "-" if cpu_before is None or cpu_after is None else f"{(cpu_after - cpu_before) / len(paths) * 1000:.2f}"
        print(f"moto pipeline: {len(paths)} photos in {seconds:.2f} s = {len(paths) / seconds:.0f} photos/s; "
              f"server CPU {cpu} ms/photo ({args.threads} threads)", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
