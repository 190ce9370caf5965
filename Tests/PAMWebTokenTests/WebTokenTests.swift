import Foundation
import PAMCore
import Testing
import _CryptoExtras

@testable import PAMWebToken

@Suite("Base64URL")
struct Base64URLTests {
    @Test("round trips every length, in the URL-safe alphabet without padding")
    func roundTrip() {
        for length in 0..<70 {
            let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) })
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            let foundation = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(text == foundation.replacingOccurrences(of: "=", with: ""))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.encode(Data([0xFB, 0xFF])) == "-_8")
    }

    @Test(
        "refuses every spelling but the canonical one",
        arguments: [
            "-_8=", "+/8", "-_9", "-_8 ", " -_8", "-_\n8", "A", "AB=C", "é", "-_8.",
        ])
    func strict(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}

@Suite("JSON of tokens")
struct TokenJSONTests {
    @Test("whole numbers are written without a fraction; others keep theirs")
    func numbers() throws {
        let json = try JSONWebToken.encode(["exp": 1_800_003_600, "ratio": 0.5, "list": ["a", true, .null]] as [String: JSONValue])
        #expect(String(decoding: json, as: UTF8.self) == #"{"exp":1800003600,"list":["a",true,null],"ratio":0.5}"#)
        #expect(try JSONDecoder().decode([String: JSONValue].self, from: json)["exp"]?.number == 1_800_003_600)
    }

    @Test(
        "duplicate member names are found at any depth, after unescaping",
        arguments: [
            (#"{"a":1,"a":2}"#, true), (#"{"a":1,"\u0061":2}"#, true), (#"{"x":{"b":1,"b":2}}"#, true), (#"[{"c":1,"c":2}]"#, true),
            (#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#, false), (#"{"a":"a","b":"a"}"#, false), (#"{"a\"":1,"a":2}"#, false),
            (#"{"a":[1,{"b":2}],"c":3,"b":4}"#, false), (#"{"a":"{\"a\":1}","b":"a"}"#, false), (#"[]"#, false),
        ])
    func duplicates(_ json: String, _ expected: Bool) {
        #expect(JSONNameScanner.hasDuplicateNames(Data(json.utf8)) == expected)
    }
}

@Suite("JSONWebKeySet")
struct JSONWebKeySetTests {
    @Test("a published key set parses back to the same keys; other key types are skipped")
    func roundTrip() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey
        let parsed = try JSONWebKeySet(parsing: try JSONWebKeySet(keys: ["k1": key]).data())
        #expect(parsed.keys.keys.sorted() == ["k1"] && parsed.keys["k1"]?.derRepresentation == key.derRepresentation)
        let mixed = Data(
            #"{"keys":[{"kty":"EC","kid":"e","crv":"P-256"},{"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"}]}"#
                .utf8)
        #expect(try JSONWebKeySet(parsing: mixed).keys.isEmpty)
        #expect { try JSONWebKeySet(parsing: Data("[]".utf8)) } throws: { ($0 as? PAMError)?.code == .invalidSignature }
    }
}
