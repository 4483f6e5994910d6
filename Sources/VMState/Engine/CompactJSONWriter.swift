/// QEMU's `JSONWriter` in its compact form: `", "` and `": "` separators, no newlines,
/// non-ASCII and control characters as `\uXXXX`. The vmdesc is written with it.
public struct CompactJSONWriter: Sendable {
    public private(set) var text = ""
    private var needsComma: [Bool] = [false]

    public init() {}

    private mutating func separate(_ name: String?) {
        if needsComma[needsComma.count - 1] { text += ", " }
        needsComma[needsComma.count - 1] = true
        if let name { text += Self.quoted(name) + ": " }
    }

    public mutating func startObject(_ name: String? = nil) {
        separate(name)
        text += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        if needsComma.count > 1 { needsComma.removeLast() }
        text += "}"
    }

    public mutating func startArray(_ name: String? = nil) {
        separate(name)
        text += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        if needsComma.count > 1 { needsComma.removeLast() }
        text += "]"
    }

    public mutating func string(_ name: String?, _ value: String) {
        separate(name)
        text += Self.quoted(value)
    }

    public mutating func integer(_ name: String?, _ value: Int) {
        separate(name)
        text += String(value)
    }

    public static func quoted(_ value: String) -> String {
        // Most names are plain printable ASCII: nothing to escape.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != 0x22 && $0 != 0x5c }) {
            return "\"" + value + "\""
        }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value >= 0x7f {
                    for unit in String(scalar).utf16 { result += "\\u" + hex4(unit) }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
