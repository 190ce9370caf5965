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
}
