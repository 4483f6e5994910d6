/// A value the engine read from or wrote to the stream, for display.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case unsigned(UInt64, width: Int)
    case signed(Int64, width: Int)
    case bool(Bool)
    case double(UInt64)
    case bytes([UInt8])
    /// A timer's expiry in ns; nil when it is not armed (-1 on the wire).
    case timer(Int64?)
    case text(String)

    public var description: String {
        switch self {
        case .unsigned(let value, let width): "0x" + Self.hex(value, digits: width * 2) + " (\(value))"
        case .signed(let value, let width):
            "0x" + Self.hex(UInt64(bitPattern: value), digits: width * 2, truncate: width) + " (\(value))"
        case .bool(let value): value ? "true" : "false"
        case .double(let bits): "\(Double(bitPattern: bits))"
        case .bytes(let bytes):
            bytes.count <= 16
                ? bytes.map { Self.hex(UInt64($0), digits: 2) }.joined(separator: " ")
                : bytes.prefix(16).map { Self.hex(UInt64($0), digits: 2) }.joined(separator: " ")
                    + " ... (\(bytes.count) bytes)"
        case .timer(let expiry): expiry.map { "expires at \($0) ns" } ?? "not armed"
        case .text(let text): "\"\(text)\""
        }
    }

    /// A short form for narrow panes: `0x2a`, `-5`, `true`, `30 31 ...`.
    public var short: String {
        switch self {
        case .unsigned(let value, _): value < 10 ? String(value) : "0x" + String(value, radix: 16)
        case .signed(let value, _): value < 0 || value < 10 ? String(value) : "0x" + String(value, radix: 16)
        case .bool(let value): value ? "true" : "false"
        case .double(let bits): "\(Double(bitPattern: bits))"
        case .bytes(let bytes):
            bytes.prefix(8).map { Self.hex(UInt64($0), digits: 2) }.joined(separator: " ")
                + (bytes.count > 8 ? " …" : "")
        case .timer(let expiry): expiry.map { "\($0)ns" } ?? "off"
        case .text(let text): "\"\(text)\""
        }
    }

    public static func hex(_ value: UInt64, digits: Int, truncate width: Int = 8) -> String {
        let masked = width >= 8 ? value : value & ((1 << (UInt64(width) * 8)) - 1)
        let text = String(masked, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
