/// One record of a RAM section (`"ram"`, version 4) with its place in the stream.
public struct RAMRecord: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Setup header: total RAM size and the block list.
        case memSize(totalBytes: UInt64, blocks: [RAMBlockInfo])
        /// A page filled with `fill` (always 0 from current QEMU).
        case zeroPage(fill: UInt8)
        /// A raw page; `data` is the page's bytes in the stream.
        case page(data: Range<Int>)
        /// A delta-encoded page: header decoded, payload only located.
        case xbzrle(encoding: UInt8, data: Range<Int>)
        /// A zlib-compressed page (QEMU ≤ 9.0).
        case compressedPage(data: Range<Int>)
        case multifdFlush
        case endOfSection
    }

    /// Offset of the record's be64 header.
    public var offset: Int
    /// One past the record's last byte.
    public var end: Int
    public var flags: RAMFlags
    /// Offset inside the RAMBlock (page records), 0 otherwise.
    public var address: UInt64
    /// The RAMBlock the page belongs to (named in the record or inherited with CONTINUE).
    public var block: String
    public var kind: Kind

    public static func zeroPage(at offset: Int, end: Int, flags: RAMFlags, address: UInt64, block: String, fill: UInt8)
        -> RAMRecord
    {
        RAMRecord(offset: offset, end: end, flags: flags, address: address, block: block, kind: .zeroPage(fill: fill))
    }
}
