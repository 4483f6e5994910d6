#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered byte sink: either a file descriptor (flushed every 64 KiB) or memory (for tests).
public final class TextOutput {
    private let fd: Int32?
    private var buffer: [UInt8] = []
    /// Everything written, for an in-memory output.
    public private(set) var collected: [UInt8] = []
    /// The first write error, reported by `finish()`.
    private var failure: String?

    /// Output to a file descriptor, e.g. `STDOUT_FILENO`.
    public init(fileDescriptor: Int32) {
        fd = fileDescriptor
        buffer.reserveCapacity(1 << 16)
    }

    /// Output kept in memory; read it with `text` or `collected`.
    public init() { fd = nil }

    public var text: String { String(decoding: collected, as: UTF8.self) }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    public func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard let fd else {
            collected.append(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var done = 0
        while done < buffer.count, failure == nil {
            let n = buffer.withUnsafeBytes { raw in
                systemWrite(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
            } else {
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and returns the first write error, if any.
    public func finish() -> String? {
        flush()
        return failure
    }
}

private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, pointer, count)
}
