/// Writes JSON exactly as Python's `json.dumps(obj, indent=4)` does (and so as
/// analyze-migration.py prints): `",\n"` between items, `": "` after keys, four spaces per level,
/// `{}` / `[]` for empty containers, and `ensure_ascii` escaping.
///
/// It streams: containers are opened and closed as the caller goes, nothing is kept but the
/// nesting stack, so a multi-gigabyte `--memory` dump needs no more memory than a small one.
public struct PythonJSONWriter {
    public let output: TextOutput
    private var hasItems: [Bool] = []
    private var pendingKey = false

    public init(output: TextOutput) { self.output = output }

    public var depth: Int { hasItems.count }

    public mutating func beginObject() {
        startValue()
        output.write(byte: UInt8(ascii: "{"))
        hasItems.append(false)
    }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() {
        startValue()
        output.write(byte: UInt8(ascii: "["))
        hasItems.append(false)
    }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ key: String) {
        startItem()
        Self.writeString(key, to: output)
        output.write(": ")
        pendingKey = true
    }

    public mutating func string(_ value: String) {
        startValue()
        Self.writeString(value, to: output)
    }

    /// A value written verbatim: a number, `true`, `false`, `null`.
    public mutating func literal(_ text: String) {
        startValue()
        output.write(text)
    }

    public mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }

    /// Writes a parsed JSON value the way Python re-serialises what `json.loads` returned
    /// (duplicate keys folded, numbers normalised).
    public mutating func value(_ value: JSONValue) {
        var work: [(JSONValue, Int)] = [(value, 0)]
        // Iterative walk (the value may be nested deeply); `Int` is the next child to write.
        while let (item, state) = work.popLast() {
            switch item {
            case .object:
                let members = item.pythonMembers ?? []
                if state == 0 {
                    beginObject()
                }
                if state < members.count {
                    work.append((item, state + 1))
                    key(members[state].key)
                    work.append((members[state].value, 0))
                } else {
                    endObject()
                }
            case .array(let items):
                if state == 0 {
                    beginArray()
                }
                if state < items.count {
                    work.append((item, state + 1))
                    work.append((items[state], 0))
                } else {
                    endArray()
                }
            case .string(let text): string(text)
            case .number(let text): literal(Self.pythonNumber(text))
            case .bool(let flag): bool(flag)
            case .null: literal("null")
            }
        }
    }

    private mutating func startItem() {
        guard let last = hasItems.indices.last else { return }
        output.write(hasItems[last] ? ",\n" : "\n")
        hasItems[last] = true
        indent(hasItems.count)
    }

    private mutating func startValue() {
        if pendingKey {
            pendingKey = false
        } else {
            startItem()
        }
    }

    private mutating func close(_ byte: UInt8) {
        let had = hasItems.popLast() ?? false
        if had {
            output.write(byte: 0x0a)
            indent(hasItems.count)
        }
        output.write(byte: byte)
    }

    private func indent(_ level: Int) {
        var remaining = level * 4
        while remaining > 0 {
            let count = min(remaining, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer { output.append(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            remaining -= count
        }
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    /// A JSON string with Python's `ensure_ascii=True` escaping: everything outside printable
    /// ASCII (space to `~`) becomes `\uXXXX` (surrogate pairs above the BMP), except the short
    /// escapes `\n \r \t \b \f`.
    public static func writeString(_ text: String, to output: TextOutput) {
        output.write(byte: 0x22)
        defer { output.write(byte: 0x22) }
        // Nearly every string (field names, hex values) is printable ASCII with nothing to escape.
        var text = text
        let plain = text.withUTF8 { utf8 in
            guard utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7e && $0 != 0x22 && $0 != 0x5c }) else { return false }
            output.append(utf8)
            return true
        }
        if plain { return }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: output.write("\\\"")
            case 0x5c: output.write("\\\\")
            case 0x0a: output.write("\\n")
            case 0x0d: output.write("\\r")
            case 0x09: output.write("\\t")
            case 0x08: output.write("\\b")
            case 0x0c: output.write("\\f")
            case 0x20...0x7e: output.write(byte: UInt8(v))
            case 0x10000...:
                let reduced = v - 0x10000
                output.write("\\u" + Hex.pad(UInt64(0xd800 + (reduced >> 10)), 4))
                output.write("\\u" + Hex.pad(UInt64(0xdc00 + (reduced & 0x3ff)), 4))
            default:
                output.write("\\u" + Hex.pad(UInt64(v), 4))
            }
        }
    }

    /// How Python prints a number that `json.loads` parsed: integers as themselves (`-0` is 0),
    /// floats with `repr`.
    static func pythonNumber(_ text: String) -> String {
        if text == "NaN" || text == "Infinity" || text == "-Infinity" { return text }
        let isFloat = text.contains { $0 == "." || $0 == "e" || $0 == "E" }
        if !isFloat {
            return text == "-0" ? "0" : text
        }
        guard let value = Double(text) else { return text }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return pythonRepr(value)
    }

    /// Python's float `repr`: shortest round-trip digits, positional for 1e-4 <= |x| < 1e16,
    /// scientific with a signed two-digit exponent otherwise.
    static func pythonRepr(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the same shortest digits; only the layout differs.
        let swift = "\(value)"
        var mantissa = swift
        var exponent = 0
        if let e = swift.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(swift[..<e])
            exponent = Int(swift[swift.index(after: e)...]) ?? 0
        }
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        var digits = mantissa.filter { $0 != "." }
        let pointIndex = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
        var decimalExponent = (pointIndex ?? mantissa.count) + exponent
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        decimalExponent -= leadingZeros
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { digits = "0" }
        // decimalExponent: value = 0.digits × 10^decimalExponent
        let sci = decimalExponent - 1
        var out: String
        if sci >= -4 && sci < 16 {
            if decimalExponent <= 0 {
                out = "0." + String(repeating: "0", count: -decimalExponent) + digits
            } else if decimalExponent >= digits.count {
                out = digits + String(repeating: "0", count: decimalExponent - digits.count) + ".0"
            } else {
                let cut = digits.index(digits.startIndex, offsetBy: decimalExponent)
                out = String(digits[..<cut]) + "." + String(digits[cut...])
            }
        } else {
            let head = String(digits.prefix(1))
            let tail = String(digits.dropFirst())
            let exp = abs(sci) < 10 ? "0\(abs(sci))" : "\(abs(sci))"
            out = head + (tail.isEmpty ? "" : "." + tail) + "e" + (sci < 0 ? "-" : "+") + exp
        }
        return negative ? "-" + out : out
    }
}
