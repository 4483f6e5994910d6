#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file mapped read-only into memory (`open(O_RDONLY)` + `mmap(PROT_READ, MAP_PRIVATE)`).
///
/// The mapping is never written. Pages already walked past can be handed back to the kernel with
/// `release(_:)` so that resident memory stays bounded however large the stream is.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init; the mapping itself is read-only, so sharing across threads is safe.
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    public init(path: String) throws(StreamError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StreamError.io(file: path, message: "cannot open: " + String(cString: strerror(errno)))
        }
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
        #if os(Linux)
            // Where transparent huge pages are on (as `madvise`, or `always`) and the file system
            // keeps large folios, a run of pages the kernel has evicted is read back on the fault
            // in 2 MiB folios, not 4 KiB ones (small scattered holes still come back in 4 KiB
            // folios). A 2 MiB folio is mapped with one entry, a 4 KiB one per page: on the
            // development VM a dump of the benchmark stream takes 17 ms in the first and about
            // 55 ms with 40% of it in the second.
            _ = madvise(mapped, count, MADV_HUGEPAGE)
        #endif
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// The whole mapping as bytes. Valid while `self` is alive.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    /// Drops the page-table entries of `range`, shrunk to whole pages.
    ///
    /// Reading a RAM page header touches every 4 KiB page of a multi-gigabyte stream; without this
    /// the touched file pages would all count towards the process's resident set. The page cache
    /// keeps the data, so reading the range again later only maps it again.
    public func release(_ range: Range<Int>) {
        guard let base else { return }
        let page = Self.pageSize
        let start = (max(0, range.lowerBound) + page - 1) / page * page
        let end = min(range.upperBound, count) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// Releases `range` with both ends rounded down to 2 MiB chunks of the address space, so that
    /// a page cache mapped with 2 MiB entries is never split. For readers walking forward through
    /// a huge file: the chunk holding the start of the range is behind them too.
    /// For a reader walking forward through a large area outside the record loop (mapped-ram
    /// pages): at each `every` bytes, gives back the pages behind `offset`, so the resident set
    /// stays bounded.
    public func releaseBehind(_ offset: Int, every: Int) {
        guard offset % every < 4096, offset >= 2 * every else { return }
        // A few windows back, so a boundary without a page on it (a zero page) is caught up later.
        releaseChunks(max(0, offset - 4 * every)..<(offset - every))
    }

    public func releaseChunks(_ range: Range<Int>) {
        guard let base else { return }
        let chunk = 2 << 20
        let address = Int(bitPattern: base)
        let start = (address + max(0, range.lowerBound)) / chunk * chunk - address
        let end = (address + min(range.upperBound, count)) / chunk * chunk - address
        if end > start { release(start..<end) }
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    private static func errnoText(_ call: String) -> String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
