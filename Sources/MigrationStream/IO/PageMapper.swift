import CPrefetch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A helper thread that maps the pages of a large stream just ahead of the reader, and releases
/// the ones behind it.
///
/// Walking RAM records reads 8 bytes of every 4 KiB page, so most of the time goes into the
/// kernel mapping page-cache pages into the process and unmapping them again. The two threads
/// share that work so that both stay busy whatever it costs per page, which depends on how the
/// page cache holds the file (a small folio costs more per page than a large one):
/// - The file is mapped in 2 MiB chunks, each claimed by one thread. The helper claims the next
///   free chunk ahead of the reader; the reader claims a free chunk it reaches before the helper
///   does, and faults it in itself.
/// - The helper releases the pages behind the reader when it has nothing to map; the reader does
///   it when they pile up.
/// Releasing keeps the resident set to a few tens of MiB whatever the stream's size.
final class PageMapper: @unchecked Sendable {
    // The file outlives the mapper (the scanner holds both). `reader`, `claimed`, `released` and
    // `stopping` are shared with the thread; `readerChunk` belongs to the reader.
    private let file: MappedFile
    /// The reader's offset in the file.
    private let reader = Atomic<Int>(0)
    /// Chunks below this index (counted from the 2 MiB boundary at or before the mapping) have
    /// been claimed by one thread or the other.
    private let claimed = Atomic<Int>(0)
    /// Pages below this offset have been released.
    private let released = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var readerChunk = -1
    private var thread: pthread_t?

    /// One page table's worth (2 MiB on x86-64): two threads faulting in different tables do not
    /// contend for the same page-table lock.
    static let chunk = 2 << 20
    static let faultAround = 64 << 10
    /// How far ahead of the reader pages are mapped, and how far behind they are kept at least
    /// (with the batches below, between 2 and about 18 MiB).
    static let ahead = 16 << 20
    static let behind = 2 << 20
    /// Pages are released this many bytes at a time. Each release interrupts the other core to
    /// flush its TLB, which in this VM costs about two thirds of what unmapping a 2 MiB chunk
    /// does; on the benchmark stream the scan took 10 to 20% less time with 8 MiB batches than
    /// with 2 MiB ones.
    static let releaseBatch = 8 << 20
    /// The helper releases when it has nothing to map; beyond this the reader does it itself.
    static let releaseLimit = 16 << 20

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

    /// Tells the mapper where the reader is; releases behind it if the helper has not.
    func advance(to offset: Int) {
        reader.store(offset, ordering: .releasing)
        if offset - released.load(ordering: .relaxed) > Self.releaseLimit { _ = releaseBehind(offset) }
    }

    /// Whether the reader is to fault in the page at `offset` itself: its chunk is one the reader
    /// claimed, or one no thread has claimed yet, which the reader claims now. Called by the reader.
    func readerMaps(_ offset: Int) -> Bool {
        let chunk = (offset + misalignment) / Self.chunk
        if chunk == readerChunk { return true }
        var first = claimed.load(ordering: .acquiring)
        while chunk >= first {
            let (exchanged, found) = claimed.compareExchange(
                expected: first, desired: chunk + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                readerChunk = chunk
                return true
            }
            first = found
        }
        return false
    }

    /// Stops and joins the thread.
    func finish() {
        stopping.store(true, ordering: .releasing)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    /// Releases the pages well behind `offset` if there are a batch of them; whether it did.
    private func releaseBehind(_ offset: Int) -> Bool {
        // Release whole 2 MiB chunks: a page cache read back from disk holds 2 MiB folios that the
        // kernel maps with one PMD entry, and releasing part of one would split the mapping.
        let keep = (offset - Self.behind + misalignment) / Self.chunk * Self.chunk - misalignment
        let done = released.load(ordering: .acquiring)
        guard keep - done >= Self.releaseBatch,
            released.compareExchange(expected: done, desired: keep, ordering: .acquiringAndReleasing).exchanged
        else { return false }
        file.release(done..<keep)
        return true
    }

    private func run() {
        let bytes = file.bytes
        guard let base = bytes.baseAddress else { return }
        // A helper far enough ahead polls every 20 µs: the reader crosses the 16 MiB it may be
        // ahead in about half a millisecond, and the helper lives only as long as one scan.
        var pause = timespec(tv_sec: 0, tv_nsec: 20_000)
        while !stopping.load(ordering: .acquiring) {
            let current = reader.load(ordering: .acquiring)
            let first = claimed.load(ordering: .acquiring)
            // The next chunk no thread has claimed, never one the reader has already reached.
            let next = max(first, (current + misalignment) / Self.chunk + 1)
            let start = next * Self.chunk - misalignment
            // Past the last chunk the reader releases the rest itself.
            if start >= bytes.count { break }
            if start > current + Self.ahead {
                if !releaseBehind(current) { nanosleep(&pause, nil) }
                continue
            }
            guard
                claimed.compareExchange(expected: first, desired: next + 1, ordering: .acquiringAndReleasing)
                    .exchanged
            else { continue }
            // One read per 64 KiB: each fault maps the neighbouring pages too (the kernel's
            // fault-around, 64 KiB by default).
            var at = max(0, start)
            let end = min(bytes.count, start + Self.chunk)
            // Not behind the reader: pages there may have been released already, and would stay
            // mapped.
            while at < end, at > reader.load(ordering: .relaxed) {
                vmscope_touch(base + at)
                at += Self.faultAround
            }
        }
    }
}
