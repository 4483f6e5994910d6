/// A position in a scenario file, for error messages.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

public enum TokenKind: Sendable, Hashable {
    case identifier(String)
    case integer(Int64)
    case string(String)
    case punctuation(String)
    case end
}

public struct Token: Sendable, Hashable {
    public var kind: TokenKind
    public var location: SourceLocation

    public var text: String {
        switch kind {
        case .identifier(let name): name
        case .integer(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .punctuation(let mark): mark
        case .end: "end of file"
        }
    }
}

/// A mistake in a scenario file: where, and what was expected.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var location: SourceLocation
    public var message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String { "\(file):\(location.line):\(location.column): error: \(message)" }
}
