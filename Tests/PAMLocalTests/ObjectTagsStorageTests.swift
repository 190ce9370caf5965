import Foundation
import PAMCore
import PAMLocal
import Testing

@Suite("Object tags in the object index")
struct ObjectTagsStorageTests {
    @Test("tags with quotes, backslashes, control characters and non-ASCII text come back as set, after reopening too")
    func roundTrip() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let ref = ObjectRef(bucket: state.config.storageBucket, key: "a.jpg")
            try await store.put(ref, body: .data(Data("x".utf8)), options: PutOptions(contentType: "image/jpeg"))
            #expect(try await store.tags(ref) == [:])
            let tags = ["say \"hi\"": "back\\slash", "ctl": "a\u{1}b\u{1F}c\nd", "ünï": "✓ 🌄", "empty": "", "rekognition": "complete"]
            try await store.setTags(ref, tags)
            #expect(try await store.tags(ref) == tags)
            #expect(try await state.store().tags(ref) == tags)
            try await store.setTags(ref, [:])
            #expect(try await store.tags(ref) == [:])
        }
    }

    @Test("addTag tags in one go the objects still at their ETag, keeps their other tags, and leaves changed or missing ones")
    func addTagToUnchanged() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let bucket = state.config.storageBucket
            let fresh = ObjectRef(bucket: bucket, key: "fresh.jpg")
            let tagged = ObjectRef(bucket: bucket, key: "tagged.jpg")
            let changed = ObjectRef(bucket: bucket, key: "changed.jpg")
            let missing = ObjectRef(bucket: bucket, key: "missing.jpg")
            let options = PutOptions(contentType: "image/jpeg")
            let freshInfo = try await store.put(fresh, body: .data(Data("a".utf8)), options: options)
            let taggedInfo = try await store.put(tagged, body: .data(Data("b".utf8)), options: options)
            try await store.setTags(tagged, ["owner": "me"])
            let changedInfo = try await store.put(changed, body: .data(Data("c".utf8)), options: options)
            try await store.put(changed, body: .data(Data("another c".utf8)), options: options)

            let answers = try await store.addTag(
                ("rekognition", "complete"),
                toUnchanged: [
                    (fresh, freshInfo.etag), (tagged, taggedInfo.etag), (changed, changedInfo.etag), (missing, freshInfo.etag),
                ])
            #expect(answers == [true, true, false, false])
            #expect(try await store.tags(fresh) == ["rekognition": "complete"])
            #expect(try await store.tags(tagged) == ["owner": "me", "rekognition": "complete"])
            #expect(try await store.tags(changed) == [:], "the version that replaced it is not tagged")
            #expect(try await state.store().tags(fresh) == ["rekognition": "complete"], "after reopening too")
        }
    }

    @Test("addTag refuses a tag beyond the limit of ten, and tags nothing of that call")
    func addTagLimit() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let full = ObjectRef(bucket: state.config.storageBucket, key: "full.jpg")
            let other = ObjectRef(bucket: state.config.storageBucket, key: "other.jpg")
            let options = PutOptions(contentType: "image/jpeg")
            let otherInfo = try await store.put(other, body: .data(Data("o".utf8)), options: options)
            let fullInfo = try await store.put(full, body: .data(Data("f".utf8)), options: options)
            let ten = Dictionary(uniqueKeysWithValues: (0..<10).map { ("k\($0)", "v") })
            try await store.setTags(full, ten)
            await #expect(throws: PAMError.self) {
                try await store.addTag(("rekognition", "complete"), toUnchanged: [(other, otherInfo.etag), (full, fullInfo.etag)])
            }
            #expect(try await store.tags(other) == [:])
            #expect(try await store.tags(full) == ten)
        }
    }
}
