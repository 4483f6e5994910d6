#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file mapped read-only into memory (`open(O_RDONLY)` + `mmap(PROT_READ, MAP_PRIVATE)`).
///
/// The mapping is never written. Pages already walked past can be handed back to the kernel with
/// `release(before:)` so that resident memory stays bounded however large the stream is.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init; the mapping itself is read-only, so sharing across threads is safe.
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    public init(path: String) throws(StreamError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StreamError.io(file: path, message: Self.errnoText("open")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StreamError.io(file: path, message: Self.errnoText("fstat")) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StreamError.io(file: path, message: "not a regular file")
        }
        count = Int(info.st_size)
        if count == 0 {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw StreamError.io(file: path, message: Self.errnoText("mmap"))
        }
        // The container is walked front to back once; tell the kernel so it reads ahead.
        _ = madvise(mapped, count, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The whole mapping as bytes. Valid while `self` is alive.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    /// Drops the page-table entries for `[0, offset)` rounded down to whole pages.
    ///
    /// Reading a RAM page header touches every 4 KiB page of a multi-gigabyte stream; without this
    /// the touched file pages would all count towards the process's resident set.
    public func release(before offset: Int) {
        guard let base else { return }
        let page = Self.pageSize
        let end = min(offset, count) / page * page
        guard end > 0 else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), end, MADV_DONTNEED)
    }

    /// Maps the page tables of `range` in one call (MADV_POPULATE_READ, Linux 5.14+) instead of
    /// one fault per page. Failure is harmless: the pages then fault in as usual.
    public func prefetch(_ range: Range<Int>) {
        #if os(Linux)
            guard let base, !range.isEmpty else { return }
            let page = Self.pageSize
            let start = range.lowerBound / page * page
            let end = min(count, range.upperBound)
            guard end > start else { return }
            let populateRead: Int32 = 22
            _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, populateRead)
        #endif
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private static func errnoText(_ call: String) -> String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
