// The photo app's AWS calls made through the AWS SDK for Go v2 (Debian's
// golang-github-aws-aws-sdk-go-v2-dev), against `pam serve`'s AWS endpoint: a second, independent
// client implementation beside botocore (boto3, the aws CLI) — its own SigV4 signer, presigner,
// XML and JSON codecs, error deserializers and multipart manager. Written against the SDK Debian 12
// ships (1.17.1; later releases made some plain fields pointers).
//
//	go-sdk ENDPOINT JPEG RUN
//
// ENDPOINT is the endpoint's URL, JPEG a photo, RUN a word that makes this run's names unique.
// Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Prints one line per step
// ("ok STEP …") and, last, the photo's labels as JSON; exits 1 at the first step whose answer is not
// what AWS would give, naming it.
package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/rekognition"
	rek "github.com/aws/aws-sdk-go-v2/service/rekognition/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3t "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

var ctx = context.Background()

func fail(step string, format string, args ...interface{}) {
	fmt.Printf("FAIL %s: %s\n", step, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func check(step string, err error) {
	if err != nil {
		fail(step, "%v", err)
	}
}

func ok(step string, format string, args ...interface{}) {
	fmt.Printf("ok %s %s\n", step, fmt.Sprintf(format, args...))
}

func md5Hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go-sdk ENDPOINT JPEG RUN")
		os.Exit(2)
	}
	endpoint, photoPath, run := os.Args[1], os.Args[2], os.Args[3]
	photo, err := os.ReadFile(photoPath)
	check("read photo", err)
	cfg := aws.Config{
		Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), ""),
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(
			func(service, region string, options ...interface{}) (aws.Endpoint, error) {
				return aws.Endpoint{URL: endpoint, HostnameImmutable: true, SigningRegion: "us-east-1"}, nil
			}),
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := "go-sdk-" + run
	objects(client, bucket)
	labels := photoFlow(cfg, client, photo, run)
	items(cfg, run)
	topics(cfg, run)
	out, _ := json.Marshal(labels)
	fmt.Printf("labels %s\n", out)
}

// objects: a bucket's life through the S3 client, the multipart manager and presigned URLs.
func objects(client *s3.Client, bucket string) {
	_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket})
	check("CreateBucket", err)
	check("BucketExistsWaiter", s3.NewBucketExistsWaiter(client).Wait(ctx, &s3.HeadBucketInput{Bucket: &bucket}, time.Minute))
	listed, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
	check("ListBuckets", err)
	found := false
	for _, b := range listed.Buckets {
		found = found || aws.ToString(b.Name) == bucket
	}
	if !found {
		fail("ListBuckets", "%s not listed", bucket)
	}
	ok("buckets", "%s created (the BucketExists waiter agrees) and listed", bucket)

	body := []byte("hello from go")
	put, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: aws.String("notes/a.txt"), Body: bytes.NewReader(body),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"author": "me"},
	})
	check("PutObject", err)
	check("ObjectExistsWaiter", s3.NewObjectExistsWaiter(client).Wait(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("notes/a.txt")}, time.Minute))
	if strings.Trim(aws.ToString(put.ETag), `"`) != md5Hex(body) {
		fail("PutObject", "ETag %s is not the body's MD5", aws.ToString(put.ETag))
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("notes/a.txt")})
	check("HeadObject", err)
	if head.ContentLength != int64(len(body)) || head.Metadata["author"] != "me" || aws.ToString(head.ContentType) != "text/plain" {
		fail("HeadObject", "length %d, metadata %v, type %s", head.ContentLength, head.Metadata, aws.ToString(head.ContentType))
	}
	ranged, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("notes/a.txt"), Range: aws.String("bytes=0-4")})
	check("GetObject range", err)
	part, _ := io.ReadAll(ranged.Body)
	if string(part) != "hello" || aws.ToString(ranged.ContentRange) != fmt.Sprintf("bytes 0-4/%d", len(body)) {
		fail("GetObject range", "got %q, Content-Range %s", part, aws.ToString(ranged.ContentRange))
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: aws.String("notes/ia.txt"), Body: bytes.NewReader(body), StorageClass: s3t.StorageClassStandardIa,
	})
	check("PutObject STANDARD_IA", err)
	infrequent, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("notes/ia.txt")})
	check("HeadObject STANDARD_IA", err)
	if infrequent.StorageClass != s3t.StorageClassStandardIa {
		fail("HeadObject STANDARD_IA", "storage class %q", infrequent.StorageClass)
	}
	served, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("notes/ia.txt")})
	check("GetObject STANDARD_IA", err)
	servedBody, _ := io.ReadAll(served.Body)
	if !bytes.Equal(servedBody, body) || served.StorageClass != s3t.StorageClassStandardIa {
		fail("GetObject STANDARD_IA", "body %q, storage class %q (S3 serves it at once)", servedBody, served.StorageClass)
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: aws.String("notes/archive.txt"), Body: bytes.NewReader(body), StorageClass: s3t.StorageClassGlacier,
	})
	if err == nil || !strings.Contains(err.Error(), "NotImplemented") {
		fail("PutObject GLACIER", "want NotImplemented (a GET would need RestoreObject), got %v", err)
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: aws.String("notes/odd.txt"), Body: bytes.NewReader(body), StorageClass: s3t.StorageClass("COLD"),
	})
	if err == nil || !strings.Contains(err.Error(), "InvalidStorageClass") {
		fail("PutObject COLD", "want InvalidStorageClass, got %v", err)
	}
	ok("object", "put, head (metadata, type, STANDARD_IA), ranged get, STANDARD_IA served at once; GLACIER 501, an unknown class 400")

	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("notes/missing.txt")})
	var noKey *s3t.NoSuchKey
	if !errors.As(err, &noKey) {
		fail("GetObject missing", "want NoSuchKey, got %v", err)
	}
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket + "-none"), Key: aws.String("x")})
	if err == nil || !strings.Contains(err.Error(), "404") {
		fail("HeadObject no bucket", "want a 404, got %v", err)
	}
	ok("errors", "NoSuchKey, 404 on a missing bucket")

	keys := []string{"many/1", "many/2", "many/3", "many/4", "many/5"}
	for _, key := range keys {
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(key), Body: strings.NewReader(key)})
		check("PutObject "+key, err)
	}
	var seen []string
	pages := 0
	paginator := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String("many/"), MaxKeys: 2})
	for paginator.HasMorePages() {
		page, err := paginator.NextPage(ctx)
		check("ListObjectsV2", err)
		pages++
		for _, object := range page.Contents {
			seen = append(seen, aws.ToString(object.Key))
		}
	}
	if strings.Join(seen, ",") != strings.Join(keys, ",") || pages != 3 {
		fail("ListObjectsV2", "%d pages, keys %v", pages, seen)
	}
	ok("list", "5 keys in 3 pages of 2")

	_, err = client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: &bucket, Key: aws.String("notes/b.txt"), CopySource: aws.String(bucket + "/notes/a.txt")})
	check("CopyObject", err)
	copied, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("notes/b.txt")})
	check("GetObject copy", err)
	copiedBody, _ := io.ReadAll(copied.Body)
	if !bytes.Equal(copiedBody, body) {
		fail("CopyObject", "copy holds %q", copiedBody)
	}
	ok("copy", "same bytes")

	big := make([]byte, 12<<20)
	for i := range big {
		big[i] = byte(i*7 + i>>12)
	}
	uploader := manager.NewUploader(client, func(u *manager.Uploader) { u.PartSize = 5 << 20; u.Concurrency = 3 })
	uploaded, err := uploader.Upload(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("big.bin"), Body: bytes.NewReader(big)})
	check("manager.Upload", err)
	if !strings.HasSuffix(strings.Trim(aws.ToString(uploaded.ETag), `"`), "-3") {
		fail("manager.Upload", "ETag %s is not a 3-part ETag", aws.ToString(uploaded.ETag))
	}
	buffer := manager.NewWriteAtBuffer(nil)
	downloader := manager.NewDownloader(client, func(d *manager.Downloader) { d.PartSize = 5 << 20; d.Concurrency = 3 })
	n, err := downloader.Download(ctx, buffer, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("big.bin")})
	check("manager.Download", err)
	if n != int64(len(big)) || !bytes.Equal(buffer.Bytes(), big) {
		fail("manager.Download", "%d bytes, equal %v", n, bytes.Equal(buffer.Bytes(), big))
	}
	ok("multipart", "12 MiB up in 3 parts and down in 3 ranges, same bytes")

	presigner := s3.NewPresignClient(client)
	putURL, err := presigner.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("shared/c.txt")})
	check("PresignPutObject", err)
	request, _ := http.NewRequest(http.MethodPut, putURL.URL, strings.NewReader("shared bytes"))
	for name, values := range putURL.SignedHeader {
		if !strings.EqualFold(name, "host") {
			request.Header[name] = values
		}
	}
	answer, err := http.DefaultClient.Do(request)
	check("presigned PUT", err)
	answer.Body.Close()
	if answer.StatusCode != 200 {
		fail("presigned PUT", "status %d", answer.StatusCode)
	}
	getURL, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("shared/c.txt")})
	check("PresignGetObject", err)
	got, err := http.Get(getURL.URL)
	check("presigned GET", err)
	gotBody, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != 200 || string(gotBody) != "shared bytes" {
		fail("presigned GET", "status %d, body %q", got.StatusCode, gotBody)
	}
	tampered, err := http.Get(strings.Replace(getURL.URL, "shared/c.txt", "notes/a.txt", 1))
	check("tampered GET", err)
	tampered.Body.Close()
	if tampered.StatusCode != 403 {
		fail("tampered GET", "status %d, want 403", tampered.StatusCode)
	}
	ok("presigned", "PUT and GET by plain HTTP; another key with the same signature 403")

	checksums(client, bucket)
	folders(client, bucket)

	var all []s3t.ObjectIdentifier
	everything := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: &bucket})
	for everything.HasMorePages() {
		page, err := everything.NextPage(ctx)
		check("ListObjectsV2 all", err)
		for _, object := range page.Contents {
			all = append(all, s3t.ObjectIdentifier{Key: object.Key})
		}
	}
	deleted, err := client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &bucket, Delete: &s3t.Delete{Objects: all}})
	check("DeleteObjects", err)
	if len(deleted.Deleted) != len(all) || len(deleted.Errors) != 0 {
		fail("DeleteObjects", "%d of %d deleted, %d errors", len(deleted.Deleted), len(all), len(deleted.Errors))
	}
	_, err = client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})
	check("DeleteBucket", err)
	ok("cleanup", "%d objects deleted in one call, bucket deleted", len(all))
}

// checksums: flexible checksums sent with an upload and checked by the SDK on the way down, and a
// conditional GET.
func checksums(client *s3.Client, bucket string) {
	body := []byte("checked on the way up and down")
	for _, algorithm := range []s3t.ChecksumAlgorithm{s3t.ChecksumAlgorithmCrc32, s3t.ChecksumAlgorithmCrc32c, s3t.ChecksumAlgorithmSha256} {
		key := "sums/" + strings.ToLower(string(algorithm))
		_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(body), ChecksumAlgorithm: algorithm})
		check("PutObject "+string(algorithm), err)
	}
	crcKey := "sums/crc32"
	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &crcKey, ChecksumMode: s3t.ChecksumModeEnabled})
	check("GetObject ChecksumMode", err)
	gotBody, err := io.ReadAll(got.Body) // the SDK compares the body with x-amz-checksum-crc32 here
	check("GetObject ChecksumMode body", err)
	if !bytes.Equal(gotBody, body) || aws.ToString(got.ChecksumCRC32) == "" {
		fail("GetObject ChecksumMode", "body %q, CRC32 %q", gotBody, aws.ToString(got.ChecksumCRC32))
	}
	_, err = client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &bucket, Key: aws.String("sums/wrong"), Body: bytes.NewReader(body), ChecksumCRC32: aws.String("AAAAAA=="),
	})
	if err == nil || !strings.Contains(err.Error(), "BadDigest") {
		fail("PutObject wrong checksum", "want BadDigest, got %v", err)
	}
	_, err = client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: aws.String("sums/wrong")})
	if err == nil || !strings.Contains(err.Error(), "StatusCode: 404") {
		fail("PutObject wrong checksum", "the refused object exists: %v", err)
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &crcKey})
	check("HeadObject", err)
	_, err = client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &crcKey, IfNoneMatch: head.ETag})
	if err == nil || !strings.Contains(err.Error(), "304") {
		fail("GetObject If-None-Match", "want 304 Not Modified, got %v", err)
	}
	ok("checksums", "CRC32, CRC32C, SHA256 sent; CRC32 checked by the SDK on GET; a wrong one BadDigest, nothing stored; If-None-Match 304")
}

// folders: delimiter listings, object tags and a lifecycle rule, each through the SDK's XML.
func folders(client *s3.Client, bucket string) {
	listed, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Delimiter: aws.String("/")})
	check("ListObjectsV2 delimiter", err)
	var prefixes []string
	for _, prefix := range listed.CommonPrefixes {
		prefixes = append(prefixes, aws.ToString(prefix.Prefix))
	}
	if strings.Join(prefixes, ",") != "many/,notes/,shared/,sums/" || len(listed.Contents) != 1 {
		fail("ListObjectsV2 delimiter", "prefixes %v, %d objects at the top", prefixes, len(listed.Contents))
	}
	notes, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String("notes/")})
	check("ListObjectsV2 notes", err)
	classes := map[string]s3t.ObjectStorageClass{}
	for _, object := range notes.Contents {
		classes[aws.ToString(object.Key)] = object.StorageClass
	}
	if classes["notes/a.txt"] != s3t.ObjectStorageClassStandard || classes["notes/ia.txt"] != s3t.ObjectStorageClassStandardIa {
		fail("ListObjectsV2 storage classes", "%v", classes)
	}
	key := aws.String("notes/a.txt")
	_, err = client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{
		Bucket: &bucket, Key: key, Tagging: &s3t.Tagging{TagSet: []s3t.Tag{{Key: aws.String("project"), Value: aws.String("lakes")}}},
	})
	check("PutObjectTagging", err)
	tags, err := client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: &bucket, Key: key})
	check("GetObjectTagging", err)
	if len(tags.TagSet) != 1 || aws.ToString(tags.TagSet[0].Value) != "lakes" {
		fail("GetObjectTagging", "%v", tags.TagSet)
	}
	_, err = client.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
		Bucket: &bucket,
		LifecycleConfiguration: &s3t.BucketLifecycleConfiguration{Rules: []s3t.LifecycleRule{{
			ID: aws.String("old-notes"), Status: s3t.ExpirationStatusEnabled,
			Filter:     &s3t.LifecycleRuleFilterMemberPrefix{Value: "notes/"},
			Expiration: &s3t.LifecycleExpiration{Days: 30},
		}}},
	})
	check("PutBucketLifecycleConfiguration", err)
	rules, err := client.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: &bucket})
	check("GetBucketLifecycleConfiguration", err)
	if len(rules.Rules) != 1 || rules.Rules[0].Expiration == nil || rules.Rules[0].Expiration.Days != 30 {
		fail("GetBucketLifecycleConfiguration", "%+v", rules.Rules)
	}
	prefix, isPrefix := rules.Rules[0].Filter.(*s3t.LifecycleRuleFilterMemberPrefix)
	if !isPrefix || prefix.Value != "notes/" {
		fail("GetBucketLifecycleConfiguration", "filter %#v", rules.Rules[0].Filter)
	}
	ok("folders", "common prefixes, storage classes listed, object tags, a lifecycle rule read back")
}

// photoFlow: the app's upload and DetectLabels on it; returns the labels.
func photoFlow(cfg aws.Config, client *s3.Client, photo []byte, run string) []string {
	key := "go-sdk/" + run + ".jpg"
	_, err := client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("pam-storage"), Key: &key, Body: bytes.NewReader(photo), ContentType: aws.String("image/jpeg"),
	})
	check("PutObject photo", err)
	labeler := rekognition.NewFromConfig(cfg)
	detected, err := labeler.DetectLabels(ctx, &rekognition.DetectLabelsInput{
		Image:         &rek.Image{S3Object: &rek.S3Object{Bucket: aws.String("pam-storage"), Name: &key}},
		MinConfidence: aws.Float32(55),
	})
	check("DetectLabels", err)
	var names []string
	for _, label := range detected.Labels {
		if aws.ToFloat32(label.Confidence) < 55 {
			fail("DetectLabels", "%s at %.1f, under MinConfidence", aws.ToString(label.Name), aws.ToFloat32(label.Confidence))
		}
		names = append(names, aws.ToString(label.Name))
	}
	if len(names) == 0 {
		fail("DetectLabels", "no labels")
	}
	_, err = labeler.DetectLabels(ctx, &rekognition.DetectLabelsInput{Image: &rek.Image{Bytes: []byte("not a jpeg")}})
	var badImage *rek.InvalidImageFormatException
	if !errors.As(err, &badImage) {
		fail("DetectLabels bad image", "want InvalidImageFormatException, got %v", err)
	}
	ok("photo", "stored in pam-storage, %d labels, bad bytes refused", len(names))
	return names
}

// items: a table's life through the DynamoDB client, with a conditional counter.
func items(cfg aws.Config, run string) {
	db := dynamodb.NewFromConfig(cfg)
	table := "go-sdk-" + run
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            &table,
		AttributeDefinitions: []ddb.AttributeDefinition{{AttributeName: aws.String("Label"), AttributeType: ddb.ScalarAttributeTypeS}},
		KeySchema:            []ddb.KeySchemaElement{{AttributeName: aws.String("Label"), KeyType: ddb.KeyTypeHash}},
		BillingMode:          ddb.BillingModePayPerRequest,
	})
	check("CreateTable", err)
	check("TableExistsWaiter", dynamodb.NewTableExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, time.Minute))
	for i := 0; i < 3; i++ {
		_, err = db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 &table,
			Key:                       map[string]ddb.AttributeValue{"Label": &ddb.AttributeValueMemberS{Value: "Lake"}},
			UpdateExpression:          aws.String("ADD #count :one"),
			ExpressionAttributeNames:  map[string]string{"#count": "Count"},
			ExpressionAttributeValues: map[string]ddb.AttributeValue{":one": &ddb.AttributeValueMemberN{Value: "1"}},
		})
		check("UpdateItem ADD", err)
	}
	_, err = db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &table,
		Key:                       map[string]ddb.AttributeValue{"Label": &ddb.AttributeValueMemberS{Value: "Lake"}},
		UpdateExpression:          aws.String("SET #count = :zero"),
		ConditionExpression:       aws.String("#count > :ten"),
		ExpressionAttributeNames:  map[string]string{"#count": "Count"},
		ExpressionAttributeValues: map[string]ddb.AttributeValue{":zero": &ddb.AttributeValueMemberN{Value: "0"}, ":ten": &ddb.AttributeValueMemberN{Value: "10"}},
	})
	var conditionFailed *ddb.ConditionalCheckFailedException
	if !errors.As(err, &conditionFailed) {
		fail("UpdateItem condition", "want ConditionalCheckFailedException, got %v", err)
	}
	item, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &table, Key: map[string]ddb.AttributeValue{"Label": &ddb.AttributeValueMemberS{Value: "Lake"}},
		ReturnConsumedCapacity: ddb.ReturnConsumedCapacityTotal,
	})
	check("GetItem", err)
	if used := item.ConsumedCapacity; used == nil || aws.ToFloat64(used.CapacityUnits) != 0.5 || aws.ToString(used.TableName) != table {
		fail("GetItem ConsumedCapacity", "%+v, want half a unit on %s (a small item, eventually consistent)", used, table)
	}
	count, isNumber := item.Item["Count"].(*ddb.AttributeValueMemberN)
	if !isNumber || count.Value != "3" {
		fail("GetItem", "Count is %#v, want 3", item.Item["Count"])
	}
	scanned, err := db.Scan(ctx, &dynamodb.ScanInput{TableName: &table})
	check("Scan", err)
	if scanned.Count != 1 {
		fail("Scan", "%d items, want 1", scanned.Count)
	}
	_, err = db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &table})
	check("DeleteTable", err)
	check("TableNotExistsWaiter", dynamodb.NewTableNotExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, time.Minute))
	ok("items", "table created and deleted (both waiters agree), ADD three times = 3, a failed condition changed nothing, consumed capacity, scan")
}

// topics: the bundle notice through SNS to an e-mail subscription.
func topics(cfg aws.Config, run string) {
	notifier := sns.NewFromConfig(cfg)
	topic, err := notifier.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("go-sdk-" + run)})
	check("CreateTopic", err)
	_, err = notifier.Subscribe(ctx, &sns.SubscribeInput{
		TopicArn: topic.TopicArn, Protocol: aws.String("email"), Endpoint: aws.String("go-sdk@example.com"),
	})
	check("Subscribe", err)
	published, err := notifier.Publish(ctx, &sns.PublishInput{
		TopicArn: topic.TopicArn, Subject: aws.String("Your photos"), Message: aws.String("go-sdk " + run),
	})
	check("Publish", err)
	if aws.ToString(published.MessageId) == "" {
		fail("Publish", "no MessageId")
	}
	_, err = notifier.DeleteTopic(ctx, &sns.DeleteTopicInput{TopicArn: topic.TopicArn})
	check("DeleteTopic", err)
	ok("sns", "topic, e-mail subscription, publish, topic deleted")
}
