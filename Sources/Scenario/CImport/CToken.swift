/// A place in a C file: the index of the file in the importer's file table, line and column.
public struct CSourceLocation: Sendable, Hashable {
    public var file: Int32
    public var line: Int32
    public var column: Int32

    public init(file: Int32, line: Int32, column: Int32) {
        self.file = file
        self.line = line
        self.column = column
    }

    static let unknown = CSourceLocation(file: -1, line: 0, column: 0)

    /// As the scenario model spells it (file names live in the importer's table).
    var scenarioLocation: SourceLocation { SourceLocation(line: Int(line), column: Int(column)) }
}

/// One preprocessing token of C.
struct CToken: Sendable {
    enum Kind: UInt8, Sendable {
        case identifier
        /// A pp-number: integers and floating constants with any suffix.
        case number
        /// `'a'`, with its quotes and any prefix.
        case character
        /// `"text"`, with its quotes and any prefix.
        case string
        case punctuator
        /// The end of the token stream.
        case end
    }

    var kind: Kind
    var text: String
    var location: CSourceLocation
    /// Whitespace came before the token (C's stringification keeps one space there).
    var leadingSpace: Bool
    /// The first token of a line (where `#` starts a directive).
    var atLineStart: Bool
    /// Macros that must not expand this token again (the C standard's "painted blue" set).
    var hideSet: [Int32] = []

    func isPunctuator(_ mark: String) -> Bool { kind == .punctuator && text == mark }
    func isIdentifier(_ name: String) -> Bool { kind == .identifier && text == name }

    static func end(at location: CSourceLocation) -> CToken {
        CToken(kind: .end, text: "", location: location, leadingSpace: false, atLineStart: true)
    }

    /// The contents of a string literal without quotes or prefix, with C escapes decoded.
    var stringValue: String? {
        guard kind == .string, let open = text.firstIndex(of: "\""), text.count >= 2 else { return nil }
        let body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return CToken.unescape(Substring(body))
    }

    static func unescape(_ body: Substring) -> String {
        var result = ""
        var iterator = body.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\", let escaped = iterator.next() else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch escaped {
            case "n": result += "\n"
            case "t": result += "\t"
            case "r": result += "\r"
            case "0": result += "\0"
            case "a": result += "\u{7}"
            case "b": result += "\u{8}"
            case "f": result += "\u{c}"
            case "v": result += "\u{b}"
            default: result.unicodeScalars.append(escaped)
            }
        }
        return result
    }
}

extension Array where Element == CToken {
    /// The tokens as `#` would stringify them: one space where the source had whitespace.
    var stringified: String {
        var text = ""
        for (index, token) in enumerated() {
            if index > 0 && token.leadingSpace { text += " " }
            text += token.text
        }
        return text
    }

    /// The tokens as written, for messages (long ones cut short).
    var spelled: String {
        let text = stringified
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}

/// A message about the C input: a note (something skipped), a warning (a guess was made) or an
/// error (the input could not be read there).
public struct CDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case note, warning, error
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(severity: Severity, file: String, line: Int, column: Int, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }
}
