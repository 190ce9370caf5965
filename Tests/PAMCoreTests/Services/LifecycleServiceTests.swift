import Foundation
import PAMCore
import PAMTestSupport
import Testing

@Suite("LifecycleService and LabelsService on fakes")
struct LifecycleServiceTests {
    @Test("bundles expire and photos of 128 KB or more move to INTELLIGENT_TIERING a day after they were stored, once")
    func lifecycleRules() async throws {
        let pipeline = FakePipeline()
        let size = Int(ObjectInfo.smallestTransitioned)
        let photo = try await pipeline.put("old.jpg", InMemoryLabeler.photo(labels: ["Sky"], size: size))
        let small = try await pipeline.put("small.jpg", InMemoryLabeler.photo(labels: ["Sky"], size: size - 1))
        let bundle = ObjectRef(bucket: pipeline.config.workingBucket, key: "old.zip")
        try await pipeline.store.put(bundle, body: .data(Data("zip".utf8)), options: PutOptions(contentType: "application/zip"))
        pipeline.clock.advance(by: 12 * 3600)
        let younger = try await pipeline.put("young.jpg", InMemoryLabeler.photo(labels: ["Water"], size: size))

        pipeline.clock.advance(by: 12 * 3600 - 1) // a second short of a day for the first two
        #expect(try await pipeline.lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 0))
        pipeline.clock.advance(by: 1)
        var expired: [ObjectRef] = []
        #expect(try await pipeline.lifecycle.run { expired.append($0) } == LifecycleReport(expiredBundles: 1, tieredObjects: 1))
        #expect(expired == [bundle], "each deletion reported")
        await expectCode(.notFound) { _ = try await pipeline.store.head(bundle) }
        #expect(try await pipeline.store.head(photo).storageClass == .intelligentTiering)
        #expect(try await pipeline.store.head(younger).storageClass == .standard)
        #expect(try await pipeline.store.head(small).storageClass == .standard, "under S3's 128 KB: never moved")
        #expect(try await pipeline.lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 0))

        pipeline.clock.advance(by: 12 * 3600)
        #expect(try await pipeline.lifecycle.run() == LifecycleReport(expiredBundles: 0, tieredObjects: 1))
        #expect(try await pipeline.store.head(younger).storageClass == .intelligentTiering)
        #expect(try await pipeline.store.get(photo).collect() == InMemoryLabeler.photo(labels: ["Sky"], size: size))
        #expect(try await pipeline.store.head(small).storageClass == .standard)
    }

    @Test("labels are listed most frequent first, then by name")
    func labelsOrder() async throws {
        let pipeline = FakePipeline()
        try await pipeline.table.record(imageKey: "a.jpg", labels: ["Water", "Sky"])
        try await pipeline.table.record(imageKey: "b.jpg", labels: ["Sky", "Mountain"])
        try await pipeline.table.record(imageKey: "c.jpg", labels: ["Beach"])
        #expect(
            try await LabelsService(table: pipeline.table).labels() == [
                LabelCount(label: "Sky", count: 2), LabelCount(label: "Beach", count: 1),
                LabelCount(label: "Mountain", count: 1), LabelCount(label: "Water", count: 1),
            ])
    }
}
