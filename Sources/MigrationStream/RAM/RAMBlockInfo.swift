/// One RAMBlock as announced by the MEM_SIZE record of the RAM setup section.
public struct RAMBlockInfo: Sendable, Equatable {
    public var name: String
    /// `used_length` of the block in bytes.
    public var length: UInt64
    /// Present when postcopy-ram is on and the block's page size differs from the host's.
    public var pageSize: UInt64?
    /// The MemoryRegion address, present when x-ignore-shared is on.
    public var memoryRegionAddress: UInt64?
    /// Present when mapped-ram is on (QEMU 9.0+): where the block's pages lie in the file.
    public var mappedRAM: MappedRAMHeader?
    /// Byte range of this block's entry in the stream (the header, not the pages after it).
    public var range: Range<Int>

    public init(
        name: String, length: UInt64, pageSize: UInt64? = nil, memoryRegionAddress: UInt64? = nil,
        mappedRAM: MappedRAMHeader? = nil, range: Range<Int>
    ) {
        self.name = name
        self.length = length
        self.pageSize = pageSize
        self.memoryRegionAddress = memoryRegionAddress
        self.mappedRAM = mappedRAM
        self.range = range
    }
}

/// `MappedRamHeader`: with mapped-ram a migration file holds each block's pages at a fixed place,
/// one page per page of the block, with a bitmap of the pages that were written; the stream
/// goes on after the pages.
public struct MappedRAMHeader: Sendable, Equatable {
    public var version: UInt32
    public var pageSize: UInt64
    /// File offset of the bitmap: one bit per page, in host `unsigned long` words (little-endian
    /// on x86-64, so bit `i` is bit `i % 8` of byte `i / 8`).
    public var bitmapOffset: UInt64
    /// File offset of page 0 of the block.
    public var pagesOffset: UInt64

    /// x-ignore-shared leaves a shared block out: both offsets are 0.
    public var isIgnored: Bool { bitmapOffset == 0 && pagesOffset == 0 }

    /// The bytes of the bitmap for a block of `pages` pages.
    public static func bitmapLength(pages: UInt64) -> UInt64 { (pages + 63) / 64 * 8 }
}

/// The pages of a mapped-ram block in order, each with whether its bitmap bit is set.
public struct MappedRAMPages: Sequence, IteratorProtocol {
    private let bitmap: UnsafeRawBufferPointer
    private let pages: UInt64
    private var page: UInt64 = 0

    /// `bytes` is the whole file; the header was checked to lie inside it when it was read.
    public init(block: RAMBlockInfo, mapped: MappedRAMHeader, bytes: UnsafeRawBufferPointer) {
        pages = block.length / mapped.pageSize
        let start = Int(mapped.bitmapOffset)
        let length = Int((pages + 7) / 8)
        bitmap =
            start + length <= bytes.count
            ? UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]) : .init(start: nil, count: 0)
    }

    public mutating func next() -> (page: UInt64, present: Bool)? {
        guard page < pages else { return nil }
        defer { page += 1 }
        let byte = Int(page / 8)
        let present = byte < bitmap.count && bitmap[byte] >> (page % 8) & 1 == 1
        return (page, present)
    }

    /// The file offset of page `page`.
    public static func offset(of page: UInt64, _ mapped: MappedRAMHeader) -> Int {
        Int(mapped.pagesOffset + page * mapped.pageSize)
    }
}
