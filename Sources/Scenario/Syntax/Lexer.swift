/// Splits scenario text into tokens. Comments are `#`, `//` and `/* */`.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    let file: String

    init(text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    private static let twoCharacterMarks: Set<String> = ["<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "->"]
    private static let marks: Set<Unicode.Scalar> = [
        "{", "}", "(", ")", "[", "]", ",", ";", "=", ".", "*", "&", "|", "!", "~", "+", "-", "/", "%", "<", ">",
        "?", ":", "^",
    ]

    mutating func tokenize() throws(ScenarioError) -> [Token] {
        var tokens: [Token] = []
        while true {
            skipSpaceAndComments()
            let location = SourceLocation(line: line, column: column)
            guard index < scalars.count else {
                tokens.append(Token(kind: .end, location: location))
                return tokens
            }
            let scalar = scalars[index]
            if scalar == "\"" {
                tokens.append(Token(kind: .string(try readString(at: location)), location: location))
            } else if scalar.properties.isASCIIHexDigit && ("0"..."9").contains(scalar) {
                tokens.append(Token(kind: .integer(try readNumber(at: location)), location: location))
            } else if scalar == "_" || scalar.properties.isAlphabetic {
                var name = ""
                while index < scalars.count,
                    scalars[index] == "_" || scalars[index].properties.isAlphabetic
                        || ("0"..."9").contains(scalars[index])
                {
                    name.unicodeScalars.append(advance())
                }
                tokens.append(Token(kind: .identifier(name), location: location))
            } else if index + 1 < scalars.count,
                Self.twoCharacterMarks.contains(String(scalar) + String(scalars[index + 1]))
            {
                let mark = String(advance()) + String(advance())
                tokens.append(Token(kind: .punctuation(mark), location: location))
            } else if Self.marks.contains(scalar) {
                tokens.append(Token(kind: .punctuation(String(advance())), location: location))
            } else {
                throw ScenarioError(
                    file: file, location: location, message: "unexpected character '\(scalar.escaped(asASCII: true))'")
            }
        }
    }

    @discardableResult
    private mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return scalar
    }

    private mutating func skipSpaceAndComments() {
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                advance()
            } else if scalar == "#" || (scalar == "/" && index + 1 < scalars.count && scalars[index + 1] == "/") {
                while index < scalars.count, scalars[index] != "\n" { advance() }
            } else if scalar == "/" && index + 1 < scalars.count && scalars[index + 1] == "*" {
                advance()
                advance()
                while index < scalars.count,
                    !(scalars[index] == "*" && index + 1 < scalars.count
                        && scalars[index + 1] == "/")
                {
                    advance()
                }
                if index < scalars.count {
                    advance()
                    advance()
                }
            } else {
                return
            }
        }
    }

    private mutating func readNumber(at location: SourceLocation) throws(ScenarioError) -> Int64 {
        var text = ""
        while index < scalars.count,
            scalars[index].properties.isASCIIHexDigit || scalars[index] == "x"
                || scalars[index] == "X" || scalars[index] == "_"
        {
            let scalar = advance()
            if scalar != "_" { text.unicodeScalars.append(scalar) }
        }
        // C integer suffixes (ULL, u, l) are accepted and ignored.
        while index < scalars.count, "uUlL".unicodeScalars.contains(scalars[index]) { advance() }
        let lower = text.lowercased()
        let value: UInt64?
        if lower.hasPrefix("0x") {
            value = UInt64(lower.dropFirst(2), radix: 16)
        } else if lower.count > 1 && lower.hasPrefix("0") {
            value = UInt64(lower.dropFirst(), radix: 8)
        } else {
            value = UInt64(lower, radix: 10)
        }
        guard let value else {
            throw ScenarioError(file: file, location: location, message: "'\(text)' is not a number")
        }
        return Int64(bitPattern: value)
    }

    private mutating func readString(at location: SourceLocation) throws(ScenarioError) -> String {
        advance()
        var text = ""
        while true {
            guard index < scalars.count, scalars[index] != "\n" else {
                throw ScenarioError(file: file, location: location, message: "unterminated string")
            }
            let scalar = advance()
            if scalar == "\"" { return text }
            if scalar == "\\", index < scalars.count {
                let escaped = advance()
                switch escaped {
                case "n": text += "\n"
                case "t": text += "\t"
                case "0": text += "\0"
                default: text.unicodeScalars.append(escaped)
                }
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
    }
}
