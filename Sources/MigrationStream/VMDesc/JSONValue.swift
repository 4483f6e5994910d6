/// A JSON value that keeps object keys in order, duplicates included.
///
/// QEMU's vmdesc repeats keys inside one object for qtailq and gtree fields; a dictionary would
/// lose them, and analyze-migration.py's output order depends on the original order.
public indirect enum JSONValue: Sendable, Equatable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    /// The number's text as written, so integers of any size survive unchanged.
    case number(String)
    case bool(Bool)
    case null

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the last member named `key` (Python's dict keeps the last duplicate).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    public var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as an integer, if it is a number without fraction or exponent that fits.
    public var int: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    public var uint64: UInt64? {
        if case .number(let text) = self { return UInt64(text) }
        return nil
    }

    /// Members with duplicate keys folded as Python's `OrderedDict(pairs)` does: each key keeps
    /// the position of its first occurrence and the value of its last.
    public var pythonMembers: [Member]? {
        guard case .object(let members) = self else { return nil }
        var position: [String: Int] = [:]
        var folded: [Member] = []
        for member in members {
            if let at = position[member.key] {
                folded[at].value = member.value
            } else {
                position[member.key] = folded.count
                folded.append(member)
            }
        }
        return folded
    }
}
