/// Reads RAM records one at a time, as QEMU's `ram_load_precopy` does.
///
/// The parser carries the state the format needs between records and sections: the block named
/// by the last page (for CONTINUE) and the capabilities that add fields to the block list.
public struct RAMParser: Sendable {
    /// Target page size: the flag bits are the header's bits below it.
    public let pageSize: UInt64
    /// x-ignore-shared: every block entry carries the MemoryRegion address.
    public var ignoreShared: Bool
    /// postcopy-ram: block entries may carry a page size.
    public var postcopy: Bool
    /// mapped-ram: every block entry is followed by a `MappedRamHeader` and the block's pages.
    public var mappedRAM: Bool
    /// The block of the previous page record, used by CONTINUE.
    public private(set) var currentBlock: String?

    public init(pageSize: UInt64, ignoreShared: Bool = false, postcopy: Bool = false, mappedRAM: Bool = false) {
        self.pageSize = pageSize
        self.ignoreShared = ignoreShared
        self.postcopy = postcopy
        self.mappedRAM = mappedRAM
    }

    /// Reads the next record. Throws on truncation, unknown flags and records a file cannot hold.
    /// A record the stream ends inside is named in the error: its kind, offset, page and block.
    public mutating func next(_ reader: inout ByteReader) throws(StreamError) -> RAMRecord {
        let start = reader.offset
        do {
            return try record(at: start, &reader)
        } catch {
            guard case .truncated = error, reader.field.isEmpty else { throw error }
            var record = reader
            record.offset = start
            throw error.within(field: name(of: record))
        }
    }

    /// "PAGE|CONTINUE record at 0x1f30e, page 0x1e000 of pc.bios" for the record `reader` is at, or
    /// "RAM record header" when the header itself is cut.
    private func name(of record: ByteReader) -> String {
        var reader = record
        guard let header = try? reader.be64() else { return "RAM record header" }
        let flags = RAMFlags(rawValue: header & (pageSize &- 1))
        var name = "\(flags.label) record at 0x\(String(record.offset, radix: 16))"
        let kind = flags.subtracting(.continue)
        guard kind == .zero || kind == .page || kind == .xbzrle || kind == .compressPage else { return name }
        name += ", page 0x\(String(header & ~(pageSize &- 1), radix: 16))"
        // A CONTINUE record's block is the last one named; another names its own after the header.
        if let block = flags.contains(.continue) ? currentBlock : try? reader.countedString() {
            name += " of \(block)"
        }
        return name
    }

    private mutating func record(at start: Int, _ reader: inout ByteReader) throws(StreamError) -> RAMRecord {
        let header = try reader.be64()
        let mask = pageSize &- 1
        let flags = RAMFlags(rawValue: header & mask)
        let address = header & ~mask
        let kind = flags.subtracting(.continue)

        switch kind {
        case .memSize:
            let blocks = try readBlockList(totalBytes: address, record: start, &reader)
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: 0, block: "",
                kind: .memSize(totalBytes: address, blocks: blocks))
        case .eos:
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: 0, block: "", kind: .endOfSection)
        case .multifdFlush:
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: 0, block: "", kind: .multifdFlush)
        case .zero:
            let block = try blockName(flags, at: start, &reader)
            let fill = try reader.u8()
            return .zeroPage(at: start, end: reader.offset, flags: flags, address: address, block: block, fill: fill)
        case .page:
            let block = try blockName(flags, at: start, &reader)
            let data = try reader.range(pageSize)
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: address, block: block, kind: .page(data: data)
            )
        case .xbzrle:
            let block = try blockName(flags, at: start, &reader)
            let encoding = try reader.u8()
            // ENCODING_FLAG_XBZRLE: anything else makes QEMU fail the load.
            guard encoding == 0x01 else {
                throw .unexpected(
                    reader.location(at: reader.offset - 1), expected: "XBZRLE encoding flag 0x01",
                    found: Hex.byte(encoding))
            }
            let length = try reader.be16()
            guard UInt64(length) <= pageSize else {
                throw .impossibleLength(reader.location(at: reader.offset - 2), length: UInt64(length), limit: pageSize)
            }
            let data = try reader.range(UInt64(length))
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: address, block: block,
                kind: .xbzrle(encoding: encoding, data: data))
        case .compressPage:
            let block = try blockName(flags, at: start, &reader)
            let length = try reader.be32()
            // compressBound(TARGET_PAGE_SIZE) is a little over one page; QEMU rejects larger.
            let bound = pageSize + pageSize / 1000 + 64
            guard UInt64(length) <= bound else {
                throw .impossibleLength(reader.location(at: reader.offset - 4), length: UInt64(length), limit: bound)
            }
            let data = try reader.range(UInt64(length))
            return RAMRecord(
                offset: start, end: reader.offset, flags: flags, address: address, block: block,
                kind: .compressedPage(data: data))
        case .hook:
            throw .unsupported(reader.location(at: start), message: "RAM_SAVE_FLAG_HOOK (RDMA) record in a file")
        default:
            throw .unexpected(
                reader.location(at: start), expected: "a known RAM flag combination",
                found: "flags 0x\(String(flags.rawValue, radix: 16)) (\(flags.label))")
        }
    }

    private mutating func blockName(_ flags: RAMFlags, at start: Int, _ reader: inout ByteReader) throws(StreamError)
        -> String
    {
        if flags.contains(.continue) {
            guard let currentBlock else {
                throw .unexpected(
                    reader.location(at: start), expected: "a block name before the first CONTINUE page",
                    found: "flags 0x\(String(flags.rawValue, radix: 16))")
            }
            return currentBlock
        }
        let name = try reader.countedString()
        currentBlock = name
        return name
    }

    /// The MEM_SIZE block list: entries until their lengths add up to the record's total. A
    /// damaged total makes the list run on into the records after it; the errors say so.
    private func readBlockList(totalBytes: UInt64, record: Int, _ reader: inout ByteReader) throws(StreamError)
        -> [RAMBlockInfo]
    {
        var remaining = totalBytes
        var blocks: [RAMBlockInfo] = []
        while remaining > 0 {
            let entryStart = reader.offset
            // Named in the errors only, so written out only for them.
            func entry() -> String {
                "RAMBlock entry \(blocks.count + 1) of the MEM_SIZE record at 0x\(String(record, radix: 16)) "
                    + "(total 0x\(String(totalBytes, radix: 16)), 0x\(String(remaining, radix: 16)) not yet described)"
            }
            let name = try reader.countedString()
            // QEMU looks each name up among its RAMBlocks, and none has an empty name.
            guard !name.isEmpty else {
                throw .unexpected(
                    reader.location(at: entryStart), expected: "the name of " + entry(),
                    found: "an empty name (QEMU: Unknown ramblock \"\")")
            }
            let length = try reader.be64()
            guard length <= remaining else {
                throw .unexpected(
                    reader.location(at: reader.offset - 8),
                    expected: "a length of at most 0x\(String(remaining, radix: 16)) for " + entry(),
                    found: "0x\(String(length, radix: 16)) for \"\(name.escapingControls)\"")
            }
            remaining -= length
            var pageSizeField: UInt64?
            // QEMU sends the block page size only when it differs from the host page size, so the
            // reader recognises it by shape: a power of two, at least a target page, no flag bits.
            if postcopy, reader.remaining >= 8 {
                var probe = reader
                let candidate = try probe.be64()
                if candidate >= pageSize, candidate & (candidate &- 1) == 0 {
                    pageSizeField = candidate
                    reader = probe
                }
            }
            var regionAddress: UInt64?
            if ignoreShared { regionAddress = try reader.be64() }
            var mapped: MappedRAMHeader?
            if mappedRAM { mapped = try readMappedRAMHeader(blockLength: length, &reader) }
            blocks.append(
                RAMBlockInfo(
                    name: name, length: length, pageSize: pageSizeField, memoryRegionAddress: regionAddress,
                    mappedRAM: mapped, range: entryStart..<reader.offset))
            if let mapped, !mapped.isIgnored {
                // The stream goes on after the block's pages.
                reader.offset = Int(mapped.pagesOffset + length)
            }
        }
        return blocks
    }

    /// The header after a block entry with mapped-ram, checked so that the jump past the pages
    /// stays inside the file and goes forward.
    private func readMappedRAMHeader(blockLength: UInt64, _ reader: inout ByteReader) throws(StreamError)
        -> MappedRAMHeader
    {
        let start = reader.offset
        let version = try reader.be32()
        // QEMU refuses only versions above its own (1).
        guard version <= 1 else {
            throw .unexpected(
                reader.location(at: start), expected: "mapped-ram header version <= 1",
                found: Hex.pad(UInt64(version), 8))
        }
        let headerPageSize = try reader.be64()
        guard headerPageSize == pageSize else {
            throw .unexpected(
                reader.location(at: start + 4), expected: "page size " + Hex.pad(pageSize, 16),
                found: Hex.pad(headerPageSize, 16))
        }
        let header = MappedRAMHeader(
            version: version, pageSize: headerPageSize, bitmapOffset: try reader.be64(), pagesOffset: try reader.be64())
        if header.isIgnored { return header }
        let fileEnd = UInt64(reader.limit)
        let bitmapLength = MappedRAMHeader.bitmapLength(pages: blockLength / pageSize)
        guard header.bitmapOffset >= UInt64(reader.offset), header.bitmapOffset <= fileEnd,
            bitmapLength <= fileEnd - header.bitmapOffset
        else {
            throw .unexpected(
                reader.location(at: start + 12),
                expected: "a bitmap of 0x\(Hex.pad(bitmapLength, 0)) bytes after the header, inside the file",
                found: "bitmap at 0x\(Hex.pad(header.bitmapOffset, 0)), file ends at 0x\(Hex.pad(fileEnd, 0))")
        }
        guard header.pagesOffset % pageSize == 0, header.pagesOffset >= header.bitmapOffset + bitmapLength,
            header.pagesOffset <= fileEnd,
            blockLength <= fileEnd - header.pagesOffset
        else {
            throw .unexpected(
                reader.location(at: start + 20),
                expected: "0x\(Hex.pad(blockLength, 0)) bytes of pages after the bitmap, page-aligned, inside the file",
                found: "pages at 0x\(Hex.pad(header.pagesOffset, 0)), file ends at 0x\(Hex.pad(fileEnd, 0))")
        }
        return header
    }
}

extension RAMParser {
    /// Starts with `block` as the previous page's block, for reading a chunk in the middle.
    public mutating func resume(block: String) { currentBlock = block }
}
