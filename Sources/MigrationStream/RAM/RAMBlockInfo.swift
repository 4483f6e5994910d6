/// One RAMBlock as announced by the MEM_SIZE record of the RAM setup section.
public struct RAMBlockInfo: Sendable, Equatable {
    public var name: String
    /// `used_length` of the block in bytes.
    public var length: UInt64
    /// Present when postcopy-ram is on and the block's page size differs from the host's.
    public var pageSize: UInt64?
    /// The MemoryRegion address, present when x-ignore-shared is on.
    public var memoryRegionAddress: UInt64?
    /// Byte range of this block's entry in the stream.
    public var range: Range<Int>

    public init(
        name: String, length: UInt64, pageSize: UInt64? = nil, memoryRegionAddress: UInt64? = nil,
        range: Range<Int>
    ) {
        self.name = name
        self.length = length
        self.pageSize = pageSize
        self.memoryRegionAddress = memoryRegionAddress
        self.range = range
    }
}
