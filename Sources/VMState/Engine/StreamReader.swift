/// The destination's view of the stream: QEMUFile's read side.
///
/// Reading past the end returns zeros and sets the stream error to -EIO, as QEMU does; the
/// loader notices only when it checks the error after the element.
struct StreamReader {
    let bytes: [UInt8]
    /// Absolute offset of `bytes[0]`.
    let base: Int
    private(set) var position = 0
    private(set) var error: Int?

    static let eio = -5

    init(bytes: [UInt8], base: Int = 0) {
        self.bytes = bytes
        self.base = base
    }

    var absolutePosition: Int { base + position }
    var remaining: Int { max(0, bytes.count - position) }

    /// Reads `count` bytes; missing ones read as zero and set -EIO.
    mutating func read(_ count: Int) -> [UInt8] {
        let available = min(count, remaining)
        var result = Array(bytes[position..<position + available])
        position += available
        if available < count {
            result += [UInt8](repeating: 0, count: count - available)
            setError(Self.eio)
        }
        return result
    }

    /// Reads up to `count` bytes, as `qemu_get_buffer` copies them: only those the stream has, so
    /// a short stream leaves the rest of the destination as it was (and sets -EIO). A huge length
    /// costs no more than the stream's size.
    mutating func readAvailable(_ count: Int) -> [UInt8] {
        let available = min(max(0, count), remaining)
        let result = Array(bytes[position..<position + available])
        position += available
        if available < count { setError(Self.eio) }
        return result
    }

    mutating func readByte() -> UInt8 { read(1)[0] }

    mutating func readBigEndian(_ width: Int) -> UInt64 {
        read(width).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Skips `count` bytes (QEMU reads them into a scratch buffer).
    mutating func skip(_ count: Int) {
        let available = min(count, remaining)
        position += available
        if available < count { setError(Self.eio) }
    }

    /// The byte `offset` ahead without consuming it; nil past the end, which sets -EIO.
    mutating func peek(_ offset: Int) -> UInt8? {
        let index = position + offset
        guard index < bytes.count else {
            setError(Self.eio)
            return nil
        }
        return bytes[index]
    }

    /// Up to `count` bytes starting `offset` ahead; fewer past the end (which sets -EIO).
    mutating func peek(_ count: Int, at offset: Int) -> [UInt8] {
        let start = min(position + offset, bytes.count)
        let end = min(start + count, bytes.count)
        if end - start < count { setError(Self.eio) }
        return Array(bytes[start..<end])
    }

    /// `qemu_file_set_error`: the first error sticks.
    mutating func setError(_ code: Int) {
        if error == nil { error = code }
    }

    /// The absolute range of bytes consumed since `start` (a `position` value), clipped to
    /// what the stream really holds.
    func range(since start: Int) -> Range<Int> {
        let lower = min(start, bytes.count)
        let upper = min(position, bytes.count)
        return (base + lower)..<(base + max(lower, upper))
    }
}

/// The source's side: QEMUFile's write side.
struct StreamWriter {
    private(set) var bytes: [UInt8] = []
    let base: Int

    init(base: Int = 0) { self.base = base }

    var position: Int { bytes.count }
    mutating func write(_ data: [UInt8]) { bytes += data }
    mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }
    mutating func writeBigEndian(_ value: UInt64, width: Int) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
    func range(since start: Int) -> Range<Int> { (base + start)..<(base + bytes.count) }
}
