"""The reference photo app's flow, written against AWS with boto3: run it against `pam serve`
(AWS_ENDPOINT_URL=http://127.0.0.1:4566) or AWS itself. Usage: reference_flow.py PHOTO.jpg..."""
import io, sys, zipfile
import boto3
from botocore.exceptions import ClientError

s3, rekognition = boto3.client("s3"), boto3.client("rekognition")
dynamodb, sns = boto3.client("dynamodb"), boto3.client("sns")
bucket, table = "my-photos", "pam-labels"
s3.create_bucket(Bucket=bucket)
mine = {}                                                   # label -> this run's photos

for path in sys.argv[1:]:                                   # 1. upload
    key = path.rsplit("/", 1)[-1]
    s3.upload_file(path, bucket, key)
    found = rekognition.detect_labels(                      # 2. detect
        Image={"S3Object": {"Bucket": bucket, "Name": key}}, MinConfidence=70)["Labels"]
    for label in found:                                     # 3. count, once per photo
        try:
            dynamodb.update_item(
                TableName=table, Key={"Label": {"S": label["Name"]}},
                UpdateExpression="ADD #count :one, Images :image", ConditionExpression="NOT contains(Images, :key)",
                ExpressionAttributeNames={"#count": "Count"},
                ExpressionAttributeValues={":one": {"N": "1"}, ":image": {"SS": [key]}, ":key": {"S": key}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        mine.setdefault(label["Name"], []).append(key)
    print(key, [label["Name"] for label in found])

name, keys = max(mine.items(), key=lambda entry: len(entry[1]))
count = dynamodb.get_item(TableName=table, Key={"Label": {"S": name}})["Item"]["Count"]["N"]
bundle = io.BytesIO()                                       # 4. bundle this run's photos of its top label
with zipfile.ZipFile(bundle, "w") as archive:
    for key in keys:
        archive.writestr(key, s3.get_object(Bucket=bucket, Key=key)["Body"].read())
s3.put_object(Bucket=bucket, Key="bundles/photos.zip", Body=bundle.getvalue())
link = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "bundles/photos.zip"}, ExpiresIn=3600)

topic = sns.create_topic(Name="photo-bundles")["TopicArn"]  # 5. publish the link
sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="me@example.com")
sns.publish(TopicArn=topic, Subject="Your photos", Message=f"{name} ({count} in the table): {link}")
print(f"bundle of {name}: {len(keys)} photos, {count} in the table; {link}")
