import Foundation

/// One rule of a bucket's lifecycle configuration, the part of S3's that PAM applies: objects
/// under `prefix` expire `expirationDays` after they were stored, or move to
/// `transitionStorageClass` `transitionDays` after; multipart uploads under `prefix` that were not
/// completed `abortIncompleteUploadDays` after they began are aborted. Ages are exact (days of 86,400 s from the
/// object's creation), not rounded to the next midnight as S3 rounds them.
public struct LifecycleRule: Sendable, Hashable, Codable {
    /// The rule's name (S3's `ID`).
    public var id: String
    /// Objects whose keys start with this (S3's `Filter/Prefix`); empty: the whole bucket.
    public var prefix: String
    /// S3's `Status`: `Enabled` rules are applied, `Disabled` ones only kept.
    public var enabled: Bool
    public var expirationDays: Int?
    public var transitionDays: Int?
    public var transitionStorageClass: StorageClass?
    /// S3's `AbortIncompleteMultipartUpload/DaysAfterInitiation`.
    public var abortIncompleteUploadDays: Int?

    public init(
        id: String, prefix: String = "", enabled: Bool = true, expirationDays: Int? = nil, transitionDays: Int? = nil,
        transitionStorageClass: StorageClass? = nil, abortIncompleteUploadDays: Int? = nil
    ) {
        self.id = id
        self.prefix = prefix
        self.enabled = enabled
        self.expirationDays = expirationDays
        self.transitionDays = transitionDays
        self.transitionStorageClass = transitionStorageClass
        self.abortIncompleteUploadDays = abortIncompleteUploadDays
    }

    /// Whether an object stored at `created` has reached `days` at `now`.
    static func reached(_ days: Int?, created: Date, now: Date) -> Bool {
        guard let days else { return false }
        return now.timeIntervalSince(created) >= TimeInterval(days) * 86_400
    }
}

/// A bucket's lifecycle rules, as `LifecycleService` applies them.
public struct BucketLifecycle: Sendable, Hashable {
    public var bucket: String
    public var rules: [LifecycleRule]

    public init(bucket: String, rules: [LifecycleRule]) {
        self.bucket = bucket
        self.rules = rules
    }

    /// The reference stack's rules: working-bucket objects expire after `bundleExpiry`, storage
    /// objects move to INTELLIGENT_TIERING after `tieringAge`, both in whole days (at least one
    /// for the expiry), and uploads left incomplete in either are aborted after a day, as
    /// `pam aws bootstrap` configures them on S3.
    public static func reference(_ config: PipelineConfig) -> [BucketLifecycle] {
        let tieringDays = max(0, Int((config.tieringAge / 86_400).rounded(.up)))
        let expiryDays = max(1, Int((config.bundleExpiry / 86_400).rounded(.up)))
        return [
            BucketLifecycle(
                bucket: config.storageBucket,
                rules: [
                    LifecycleRule(
                        id: "pam-intelligent-tiering", transitionDays: tieringDays, transitionStorageClass: .intelligentTiering,
                        abortIncompleteUploadDays: 1)
                ]),
            BucketLifecycle(
                bucket: config.workingBucket,
                rules: [LifecycleRule(id: "pam-expire-bundles", expirationDays: expiryDays, abortIncompleteUploadDays: 1)]),
        ]
    }
}
