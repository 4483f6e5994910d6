/// Splits C source into preprocessing tokens. Comments become whitespace; a backslash before a
/// newline joins lines. Anything it cannot classify becomes a one-character punctuator, so no
/// input makes it fail: the preprocessor and parser decide what is an error.
struct CLexer {
    private let bytes: [UInt8]
    private let file: Int32
    private var index = 0
    private var line: Int32 = 1
    private var column: Int32 = 1

    init(bytes: [UInt8], file: Int32) {
        self.bytes = bytes
        self.file = file
    }

    static func tokenize(_ bytes: [UInt8], file: Int32) -> [CToken] {
        var lexer = CLexer(bytes: bytes, file: file)
        return lexer.tokenize()
    }

    private static let threeCharacterMarks: [String] = ["...", "<<=", ">>="]
    private static let twoCharacterMarks: Set<String> = [
        "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=",
        "^=", "|=", "##",
    ]

    mutating func tokenize() -> [CToken] {
        var tokens: [CToken] = []
        tokens.reserveCapacity(bytes.count / 5)
        var atLineStart = true
        while true {
            let (space, newline) = skipSpace()
            if newline { atLineStart = true }
            guard index < bytes.count else { break }
            let location = CSourceLocation(file: file, line: line, column: column)
            let start = index
            let kind = scanToken()
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            tokens.append(
                CToken(
                    kind: kind, text: text, location: location, leadingSpace: space || newline,
                    atLineStart: atLineStart))
            atLineStart = false
        }
        tokens.append(.end(at: CSourceLocation(file: file, line: line, column: column)))
        return tokens
    }

    // MARK: Characters

    private func peek(_ offset: Int = 0) -> UInt8 {
        let position = index + offset
        return position < bytes.count ? bytes[position] : 0
    }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || byte == 0x5f || byte == 0x24
            || byte >= 0x80
    }

    private static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Skips blanks, comments and line splices; reports whether any were skipped and whether a
    /// newline was among them.
    private mutating func skipSpace() -> (space: Bool, newline: Bool) {
        var space = false
        var newline = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                newline = true
                advance()
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0b, 0x0c:
                space = true
                advance()
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\n"):
                space = true
                advance()
                advance()
            case UInt8(ascii: "\\") where peek(1) == UInt8(ascii: "\r") && peek(2) == UInt8(ascii: "\n"):
                space = true
                advance()
                advance()
                advance()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                space = true
                // A line comment ends at a newline that is not spliced.
                while index < bytes.count && bytes[index] != UInt8(ascii: "\n") {
                    if bytes[index] == UInt8(ascii: "\\") && peek(1) == UInt8(ascii: "\n") { advance() }
                    advance()
                }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                space = true
                advance()
                advance()
                while index < bytes.count && !(bytes[index] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    advance()
                }
                if index < bytes.count {
                    advance()
                    advance()
                }
            default:
                return (space, newline)
            }
        }
        return (space, newline)
    }

    private mutating func scanToken() -> CToken.Kind {
        let byte = bytes[index]
        // String and character literals, with an optional L, u, U or u8 prefix.
        if let quoteOffset = literalPrefixLength(),
            peek(quoteOffset) == UInt8(ascii: "\"")
                || peek(quoteOffset) == UInt8(ascii: "'")
        {
            let quote = peek(quoteOffset)
            for _ in 0..<quoteOffset { advance() }
            scanQuoted(quote)
            return quote == UInt8(ascii: "\"") ? .string : .character
        }
        if Self.isIdentifierStart(byte) {
            while index < bytes.count && Self.isIdentifierPart(bytes[index]) { advance() }
            return .identifier
        }
        if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
            advance()
            while index < bytes.count {
                let next = bytes[index]
                if next == UInt8(ascii: "+") || next == UInt8(ascii: "-"),
                    let previous = index > 0 ? bytes[index - 1] : nil,
                    [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(previous)
                {
                    advance()
                } else if Self.isIdentifierPart(next) || next == UInt8(ascii: ".") {
                    advance()
                } else {
                    break
                }
            }
            return .number
        }
        for mark in Self.threeCharacterMarks where matches(mark) {
            for _ in 0..<3 { advance() }
            return .punctuator
        }
        if index + 1 < bytes.count {
            let pair = String(decoding: bytes[index..<index + 2], as: UTF8.self)
            if Self.twoCharacterMarks.contains(pair) {
                advance()
                advance()
                return .punctuator
            }
        }
        advance()
        // The rest of a UTF-8 sequence stays with its first byte.
        while index < bytes.count && bytes[index] & 0xc0 == 0x80 { advance() }
        return .punctuator
    }

    private func matches(_ mark: String) -> Bool {
        var offset = 0
        for byte in mark.utf8 {
            if peek(offset) != byte { return false }
            offset += 1
        }
        return true
    }

    /// Length of an `L`, `u`, `U` or `u8` prefix before a quote, 0 with no prefix, nil when the
    /// current character starts no literal.
    private func literalPrefixLength() -> Int? {
        switch peek() {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return 0
        case UInt8(ascii: "L"), UInt8(ascii: "U"): return 1
        case UInt8(ascii: "u"): return peek(1) == UInt8(ascii: "8") ? 2 : 1
        default: return nil
        }
    }

    /// A quoted literal; an unterminated one ends at the end of its line (code in `#if 0` may
    /// hold a lone apostrophe).
    private mutating func scanQuoted(_ quote: UInt8) {
        advance()
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                advance()
                return
            }
            if byte == UInt8(ascii: "\n") { return }
            if byte == UInt8(ascii: "\\") && index + 1 < bytes.count { advance() }
            advance()
        }
    }
}
