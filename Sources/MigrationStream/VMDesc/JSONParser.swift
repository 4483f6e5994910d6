/// A strict JSON parser that keeps key order and duplicate keys and reports byte offsets.
///
/// It accepts what Python's `json.loads` accepts (including `NaN` and `Infinity`), is iterative
/// with an explicit depth limit (a document nested thousands deep is an error, not a stack
/// overflow), and never copies the input.
public struct JSONParser {
    public static let maximumDepth = 256

    public struct Failure: Error, Sendable, Equatable {
        /// Offset of the offending byte, relative to the start of the JSON text.
        public var offset: Int
        public var message: String
    }

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        return try parser.document()
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var copy = Array(text.utf8)
        do {
            return try copy.withUnsafeMutableBytes { raw throws(Failure) in
                try parse(UnsafeRawBufferPointer(raw))
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(offset: 0, message: "\(error)")
        }
    }

    private enum Frame {
        case array([JSONValue])
        case object([JSONValue.Member], pendingKey: String)
    }

    private mutating func document() throws(Failure) -> JSONValue {
        var stack: [Frame] = []
        var value: JSONValue
        skipSpace()
        parsing: while true {
            // Parse one value start; containers push a frame and continue.
            switch peek() {
            case UInt8(ascii: "{"):
                position += 1
                skipSpace()
                if peek() == UInt8(ascii: "}") {
                    position += 1
                    value = .object([])
                } else {
                    guard stack.count < Self.maximumDepth else {
                        throw fail("nesting deeper than \(Self.maximumDepth)")
                    }
                    let key = try memberKey()
                    stack.append(.object([], pendingKey: key))
                    skipSpace()
                    continue parsing
                }
            case UInt8(ascii: "["):
                position += 1
                skipSpace()
                if peek() == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    guard stack.count < Self.maximumDepth else {
                        throw fail("nesting deeper than \(Self.maximumDepth)")
                    }
                    stack.append(.array([]))
                    continue parsing
                }
            default:
                value = try scalar()
            }
            // Attach the finished value to enclosing containers, closing as many as end here.
            while true {
                guard let top = stack.popLast() else { break parsing }
                skipSpace()
                switch top {
                case .array(var items):
                    items.append(value)
                    if peek() == UInt8(ascii: ",") {
                        position += 1
                        skipSpace()
                        stack.append(.array(items))
                        continue parsing
                    }
                    guard peek() == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                    position += 1
                    value = .array(items)
                case .object(var members, let key):
                    members.append(JSONValue.Member(key: key, value: value))
                    if peek() == UInt8(ascii: ",") {
                        position += 1
                        skipSpace()
                        let next = try memberKey()
                        stack.append(.object(members, pendingKey: next))
                        skipSpace()
                        continue parsing
                    }
                    guard peek() == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                    position += 1
                    value = .object(members)
                }
            }
        }
        skipSpace()
        guard position == bytes.count else { throw fail("extra data after the JSON value") }
        return value
    }

    /// `"key"` then `:`; leaves the position at the value.
    private mutating func memberKey() throws(Failure) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
        let key = try stringLiteral()
        skipSpace()
        guard peek() == UInt8(ascii: ":") else { throw fail("expected ':'") }
        position += 1
        skipSpace()
        return key
    }

    private mutating func scalar() throws(Failure) -> JSONValue {
        guard let byte = peek() else { throw fail("unexpected end of JSON") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try stringLiteral())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "N"):
            try literal("NaN")
            return .number("NaN")
        case UInt8(ascii: "I"):
            try literal("Infinity")
            return .number("Infinity")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character \(Self.describe(byte))")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("unexpected end of JSON") }
        for i in 0..<count where bytes[position + i] != word.utf8Start[i] {
            throw fail("invalid literal")
        }
        position += count
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = position
        if peek() == UInt8(ascii: "-") {
            position += 1
            if peek() == UInt8(ascii: "I") {
                try literal("Infinity")
                return .number("-Infinity")
            }
        }
        guard let first = peek(), isDigit(first) else { throw fail("invalid number") }
        position += 1
        if first != UInt8(ascii: "0") { while let d = peek(), isDigit(d) { position += 1 } }
        if peek() == UInt8(ascii: "."), let d = peek(at: 1), isDigit(d) {
            position += 1
            while let d = peek(), isDigit(d) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var probe = position + 1
            if probe < bytes.count, bytes[probe] == UInt8(ascii: "+") || bytes[probe] == UInt8(ascii: "-") {
                probe += 1
            }
            if probe < bytes.count, isDigit(bytes[probe]) {
                position = probe
                while let d = peek(), isDigit(d) { position += 1 }
            }
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private mutating func stringLiteral() throws(Failure) -> String {
        position += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw fail("unterminated string") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5c)
                case UInt8(ascii: "/"): out.append(0x2f)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xd800..<0xdc00).contains(scalar), peek() == UInt8(ascii: "\\"),
                        peek(at: 1) == UInt8(ascii: "u")
                    {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xdc00..<0xe000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                        } else {
                            position = save
                        }
                    }
                    // A lone surrogate cannot live in a Swift String; it becomes U+FFFD.
                    let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    position -= 1
                    throw fail("invalid escape \\\(Self.describe(escape))")
                }
            default:
                // Python's strict mode rejects raw control characters inside strings.
                guard byte >= 0x20 else {
                    position -= 1
                    throw fail("control character \(Self.describe(byte)) in string")
                }
                out.append(byte)
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func peek(at delta: Int = 0) -> UInt8? {
        position + delta < bytes.count ? bytes[position + delta] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 { position += 1 }
    }

    private func fail(_ message: String) -> Failure { Failure(offset: position, message: message) }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7e).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : Hex.byte(byte)
    }
}
