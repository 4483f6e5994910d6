/// How analyze-migration.py renders one leaf value, by vmdesc type.
enum AnalyzeValue {
    case text(String)
    case bool(Bool)

    /// Types the analyzer reads as signed integers (`VMSDFieldInt`, `VMSDFieldIntLE`).
    static let signedTypes: Set<String> = [
        "int8", "int16", "int32", "int64", "int32 equal", "int32 le", "int64 equal", "uint8 equal", "uint16 equal",
    ]
    /// Types read as unsigned integers (`VMSDFieldUInt`).
    static let unsignedTypes: Set<String> = ["uint8", "uint16", "uint32", "uint64", "uint32 equal"]

    static func render(_ node: VMStateNode, bytes: UnsafeRawBufferPointer) -> AnalyzeValue {
        let data = UnsafeRawBufferPointer(rebasing: bytes[node.range.clamped(to: 0..<bytes.count)])
        switch node.kind {
        case .nullPointer:
            return .text("nullptr")
        case .field where node.type == "capability":
            // `VMSDFieldCap`: the name without its length byte.
            return .text(String(decoding: data.dropFirst(), as: UTF8.self))
        case .field where node.type == "bool":
            return .bool((data.first ?? 0) != 0)
        case .field where signedTypes.contains(node.type):
            return .text(integer(data, signed: true))
        case .field where unsignedTypes.contains(node.type):
            return .text(integer(data, signed: false))
        default:
            return .text(Hex.spaced(data))
        }
    }

    /// `'0x%0{2n}x'`, and for negative signed values `"0x<unsigned hex> (<signed decimal>)"`.
    static func integer(_ data: UnsafeRawBufferPointer, signed: Bool) -> String {
        guard !data.isEmpty else { return "0x0" }
        let hex = "0x" + Hex.packed(data)
        guard signed, data[0] & 0x80 != 0 else { return hex }
        return hex + " (-" + magnitudeOfNegative(data) + ")"
    }

    /// Decimal magnitude of a negative big-endian two's-complement number of any width.
    static func magnitudeOfNegative(_ data: UnsafeRawBufferPointer) -> String {
        if data.count <= 8 {
            var value: UInt64 = 0
            for b in data { value = value << 8 | UInt64(b) }
            let bits = UInt64(data.count * 8)
            let modulus = bits == 64 ? 0 : (UInt64(1) << bits)
            let magnitude = modulus &- value
            return String(magnitude)
        }
        // Negate (invert, add one), then divide by ten repeatedly.
        var digits = data.map { ~$0 }
        var carry = 1
        for i in digits.indices.reversed() where carry != 0 {
            let sum = Int(digits[i]) + carry
            digits[i] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        var out: [Character] = []
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for i in digits.indices {
                let current = remainder << 8 | Int(digits[i])
                digits[i] = UInt8(current / 10)
                remainder = current % 10
            }
            out.append(Character(String(remainder)))
        }
        return out.isEmpty ? "0" : String(out.reversed())
    }
}
