/// One token of an expression, with where it sits in the text (for DynamoDB's `near: "…"`).
struct ExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A bare attribute name, keyword or function name.
        case identifier
        /// `#name`.
        case nameReference
        /// `:value`.
        case valueReference
        /// Digits (a list index).
        case integer
        /// `= <> < <= > >= ( ) [ ] , . + -`.
        case symbol
        case end
    }

    var kind: Kind
    var text: String
    /// Character offsets in the expression.
    var start: Int
    var end: Int

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
    func isKeyword(_ keyword: String) -> Bool { kind == .identifier && text.uppercased() == keyword }
}

/// Splits an expression into tokens; a character no token can hold is a syntax error naming it.
enum ExpressionTokenizer {
    static func tokens(_ text: String, kind: ExpressionKind) throws(ItemError) -> [ExpressionToken] {
        let characters = Array(text)
        var tokens: [ExpressionToken] = []
        var index = 0
        func isWordCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_")
        }
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            let start = index
            var tokenKind: ExpressionToken.Kind
            if character == "#" || character == ":" {
                index += 1
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                tokenKind = character == "#" ? .nameReference : .valueReference
                if index == start + 1 {
                    throw syntaxError(kind, token: String(character), characters: characters, start: start, end: index)
                }
            } else if character.isASCII, character.isNumber {
                while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                tokenKind = .integer
            } else if character.isASCII, character.isLetter || character == "_" {
                while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
                tokenKind = .identifier
            } else if character == "<" || character == ">" {
                index += 1
                if index < characters.count, characters[index] == "=" || (character == "<" && characters[index] == ">") { index += 1 }
                tokenKind = .symbol
            } else if "=()[],.+-".contains(character) {
                index += 1
                tokenKind = .symbol
            } else {
                throw syntaxError(kind, token: String(character), characters: characters, start: start, end: start + 1)
            }
            tokens.append(ExpressionToken(kind: tokenKind, text: String(characters[start..<index]), start: start, end: index))
        }
        tokens.append(ExpressionToken(kind: .end, text: "<EOF>", start: characters.count, end: characters.count))
        return tokens
    }

    /// `Invalid …: Syntax error; token: "x", near: "…"`.
    static func syntaxError(_ kind: ExpressionKind, token: String, characters: [Character], start: Int, end: Int) -> ItemError {
        kind.invalid("Syntax error; token: \"\(token)\", near: \"\(String(characters[max(0, start)..<min(characters.count, end)]))\"")
    }
}
