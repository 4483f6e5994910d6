import CPrefetch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A helper thread that maps the pages of a large stream just ahead of the reader, and the
/// reader's handing back of the pages behind it.
///
/// Walking RAM records reads 8 bytes of every 4 KiB page, so most of the time goes into the
/// kernel mapping page-cache pages into the process and unmapping them again. Mapping on the
/// second core, ahead of the parser, shortens the wall time; releasing the pages behind keeps
/// the resident set to a few tens of MiB whatever the stream's size.
final class PageMapper: @unchecked Sendable {
    // The file outlives the mapper (the scanner holds both). `reader` and `stopping` are shared
    // with the thread; `released` belongs to the reader.
    private let file: MappedFile
    private let reader = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var released = 0
    private var thread: pthread_t?

    /// One page table's worth (2 MiB on x86-64): two threads faulting in different tables do not
    /// contend for the same page-table lock.
    static let chunk = 2 << 20
    /// The helper maps two chunks in three ahead of the reader; the reader faults in the third
    /// itself, and releases them all. With the reader's parsing, this gave the two threads about
    /// the same CPU time on the benchmark stream; one in two or one in five did not.
    static let readerShare = 3
    static let faultAround = 64 << 10
    /// How far ahead of the reader pages are mapped, and how far behind they are kept.
    static let ahead = 16 << 20
    static let behind = 2 << 20
    /// Pages are released this many bytes at a time. Each release interrupts the other core to
    /// flush its TLB, which in this VM costs about two thirds of what unmapping a 2 MiB chunk
    /// does; on the benchmark stream the scan took 10 to 20% less time with 8 MiB batches than
    /// with 2 MiB ones.
    static let releaseBatch = 8 << 20

    /// Chunks are aligned to the address space, not the file, to match page-table boundaries.
    private let misalignment: Int

    init(file: MappedFile) {
        self.file = file
        misalignment = file.bytes.baseAddress.map { Int(bitPattern: $0) % Self.chunk } ?? 0
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let started = pthread_create(
            &handle, nil,
            { context in
                guard let context else { return nil }
                let mapper = Unmanaged<PageMapper>.fromOpaque(context).takeRetainedValue()
                mapper.run()
                return nil
            }, box.toOpaque())
        if started == 0 {
            thread = handle
        } else {
            box.release()
        }
    }

    /// Tells the mapper where the reader is, and releases the pages well behind it. Called by the
    /// reader only.
    func advance(to offset: Int) {
        reader.store(offset, ordering: .releasing)
        // Release whole 2 MiB chunks: a page cache read back from disk holds 2 MiB folios that the
        // kernel maps with one PMD entry, and releasing part of one would split the mapping.
        let keep = (offset - Self.behind + misalignment) / Self.chunk * Self.chunk - misalignment
        guard keep - released >= Self.releaseBatch else { return }
        file.release(released..<keep)
        released = keep
    }

    /// Whether the helper maps the page at `offset`, if it keeps up; the reader maps the rest.
    func helperMaps(_ offset: Int) -> Bool {
        thread != nil && (offset + misalignment) / Self.chunk % Self.readerShare != 0
    }

    /// Stops and joins the thread.
    func finish() {
        stopping.store(true, ordering: .releasing)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func run() {
        let bytes = file.bytes
        guard let base = bytes.baseAddress else { return }
        var next = 0
        var pause = timespec(tv_sec: 0, tv_nsec: 20_000)
        while !stopping.load(ordering: .acquiring) {
            let current = reader.load(ordering: .acquiring)
            let currentChunk = (current + misalignment) / Self.chunk
            if next <= currentChunk { next = currentChunk + 1 }
            if next % Self.readerShare == 0 { next += 1 }
            let start = next * Self.chunk - misalignment
            if start >= bytes.count { break }
            if start > current + Self.ahead {
                nanosleep(&pause, nil)
                continue
            }
            // One read per 64 KiB: each fault maps the neighbouring pages too (the kernel's
            // fault-around, 64 KiB by default). Pages it leaves out the reader faults in itself.
            var at = max(0, start)
            let end = min(bytes.count, start + Self.chunk)
            while at < end {
                vmscope_touch(base + at)
                at += Self.faultAround
            }
            next += 1
        }
    }
}
