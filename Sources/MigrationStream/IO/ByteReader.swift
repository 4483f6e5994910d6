/// A bounds-checked big-endian cursor over a mapped stream.
///
/// Every read checks the remaining length first, so a truncated stream turns into
/// `StreamError.truncated` at the exact offset and never into an out-of-bounds access.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    public let file: String
    /// Absolute offset of the next byte to read.
    public var offset: Int
    /// Reads stop here (end of the file or of an enclosing record).
    public var limit: Int
    /// Context copied into errors.
    public var section: String = ""
    public var field: String = ""

    public init(bytes: UnsafeRawBufferPointer, file: String, offset: Int = 0, limit: Int? = nil) {
        self.bytes = bytes
        self.file = file
        self.offset = offset
        self.limit = min(limit ?? bytes.count, bytes.count)
    }

    public var remaining: Int { max(0, limit - offset) }
    public var atEnd: Bool { offset >= limit }

    public func location(at position: Int? = nil) -> StreamError.Location {
        StreamError.Location(file: file, offset: position ?? offset, section: section, field: field)
    }

    public func need(_ count: Int) throws(StreamError) {
        guard count <= remaining else {
            throw .truncated(location(), needed: count, available: remaining)
        }
    }

    public func peekU8(at delta: Int = 0) -> UInt8? {
        let position = offset + delta
        guard position >= 0, position < limit else { return nil }
        return bytes[position]
    }

    public mutating func u8() throws(StreamError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func be16() throws(StreamError) -> UInt16 {
        try need(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func be32() throws(StreamError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return Self.loadBE32(bytes, offset)
    }

    public mutating func be64() throws(StreamError) -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(Self.loadBE32(bytes, offset)) << 32 | UInt64(Self.loadBE32(bytes, offset + 4))
    }

    /// Skips `count` bytes, which must all be present. Takes a UInt64 so that a 4 GiB length from
    /// the stream is checked, never converted blindly.
    public mutating func skip(_ count: UInt64) throws(StreamError) {
        guard count <= UInt64(remaining) else {
            throw .truncated(location(), needed: Int(clamping: count), available: remaining)
        }
        offset += Int(count)
    }

    /// The range of the next `count` bytes, consumed. No copy is made.
    public mutating func range(_ count: UInt64) throws(StreamError) -> Range<Int> {
        let start = offset
        try skip(count)
        return start..<offset
    }

    /// A u8-length-prefixed string (QEMU's `qemu_get_counted_string`).
    public mutating func countedString() throws(StreamError) -> String {
        let length = try u8()
        return try string(length: Int(length))
    }

    public mutating func string(length: Int) throws(StreamError) -> String {
        let span = try range(UInt64(length))
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[span]), as: UTF8.self)
    }

    @inline(__always)
    public static func loadBE32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
