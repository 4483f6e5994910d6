/// Hex renderings used in messages and dumps.
enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func byte(_ value: UInt8) -> String { "0x" + pad(UInt64(value), 2) }

    static func pad(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// `"00 01 ff"`: space-separated lowercase pairs, as analyze-migration.py prints buffers.
    static func spaced(_ bytes: UnsafeRawBufferPointer) -> String {
        guard !bytes.isEmpty else { return "" }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 3)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `"0011ff"`: contiguous lowercase pairs.
    static func packed(_ bytes: UnsafeRawBufferPointer) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The text with control characters as `\xNN`, for messages: a corrupt stream can put any
    /// byte in a section name.
    public var escapingControls: String {
        guard unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + Hex.pad(UInt64(scalar.value), 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
