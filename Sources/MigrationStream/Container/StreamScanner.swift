import CPrefetch

/// Walks a stream's container once, front to back, and builds its `StreamIndex`.
///
/// RAM sections delimit themselves (records up to EOS). A device section's payload length is not
/// in the stream: with a vmdesc it is walked field by field; otherwise its end is inferred from
/// the next footer (`7e` + the same section id) followed by a plausible record, or, for streams
/// without footers, from the next plausible section header. The extent says which it was.
struct StreamScanner {
    let file: MappedFile
    let bytes: UnsafeRawBufferPointer
    /// Device descriptions, used to delimit device sections when present.
    let vmdesc: VMDesc?
    var pageSize: UInt64

    private var index = StreamIndex()
    private var ram: RAMParser
    /// Open START sections by id, for PART / END.
    private var openSections: [UInt32: SectionHeader] = [:]
    private var blockSlots: [String: Int] = [:]
    private var currentBlockName = ""
    private var currentBlockSlot = -1
    private var packagedEnd = 0
    private var releaseMark = 0
    /// Whether a footer without a plausible record after it was taken: once per scan, since each
    /// search for one reads to the end of the file.
    private var tookBareFooter = false
    private var mapper: PageMapper?
    /// Whether runs of CONTINUE pages are read by `readContinuedPages`; tests turn it off to check
    /// that it reads what `RAMParser` does, record by record.
    var readsRunsInBulk = true
    /// How far ahead of a RAM record the scanner reaches for a later header: 32 page records on,
    /// where a record most likely begins. A header read from memory costs about as much as
    /// everything else the loop does for its record, so it must be asked for well before.
    static let lookahead = 32 * (4096 + 8)
    /// The 64 KiB block of the address space (the kernel's fault-around window) that
    /// `reachAhead` last reached into.
    private var reachedBlock = -1

    init(file: MappedFile, vmdesc: VMDesc?, pageSize: UInt64) {
        self.file = file
        self.bytes = file.bytes
        self.vmdesc = vmdesc
        self.pageSize = pageSize
        self.ram = RAMParser(pageSize: pageSize)
    }

    /// Scans the whole stream. Never throws: a failure is stored in `index.error`.
    mutating func scan() -> StreamIndex {
        index.pageSize = pageSize
        var reader = ByteReader(bytes: bytes, file: file.path)
        if file.count >= Self.largeStream { mapper = PageMapper(file: file) }
        do {
            try readFileHeader(&reader)
            try readRecords(&reader)
        } catch {
            index.error = error
        }
        mapper?.finish()
        mapper = nil
        return index
    }

    private mutating func readFileHeader(_ reader: inout ByteReader) throws(StreamError) {
        reader.section = "file header"
        let magic = try reader.be32()
        guard magic == SectionType.fileMagic else {
            // QEMU: "Not a migration stream".
            throw .unexpected(
                reader.location(at: 0), expected: "the QEVM magic 0x5145564d (not a migration stream?)",
                found: "0x" + Hex.pad(UInt64(magic), 8))
        }
        let version = try reader.be32()
        guard version == SectionType.fileVersion else {
            if version == SectionType.fileVersionCompat {
                throw .unsupported(
                    reader.location(at: 4), message: "SaveVM v2 format is obsolete and don't work anymore")
            }
            throw .unexpected(
                reader.location(at: 4), expected: "stream version 0x00000003 (unsupported migration stream version)",
                found: "0x" + Hex.pad(UInt64(version), 8))
        }
        index.records.append(StreamRecord(offset: 0, end: 8, kind: .fileHeader(magic: magic, version: version)))
    }

    private mutating func readRecords(_ reader: inout ByteReader) throws(StreamError) {
        while true {
            let start = reader.offset
            reader.section = ""
            reader.field = ""
            guard !reader.atEnd else {
                reader.section = "record"
                throw .truncated(reader.location(), needed: 1, available: 0)
            }
            let typeByte = try reader.u8()
            let packaged = start < packagedEnd
            guard let type = SectionType(rawValue: typeByte) else {
                reader.section = "record"
                throw .unexpected(
                    reader.location(at: start), expected: "a section type (00-08 or 7e)", found: Hex.byte(typeByte))
            }
            switch type {
            case .eof:
                index.records.append(StreamRecord(offset: start, end: reader.offset, kind: .eof, packaged: packaged))
                // In postcopy the packaged stream may end with its own EOF; the main stream goes on.
                if packaged { continue }
                try readVMDesc(&reader)
                return
            case .configuration:
                reader.section = "configuration"
                let config = try readConfiguration(start: start, &reader)
                ram.ignoreShared = config.has(capability: "x-ignore-shared")
                ram.mappedRAM = config.has(capability: "mapped-ram")
                for sub in config.subsections {
                    if case .targetPageBits(let bits) = sub.value, bits < 32, vmdesc == nil {
                        pageSize = 1 << UInt64(bits)
                        ram = RAMParser(
                            pageSize: pageSize, ignoreShared: ram.ignoreShared, postcopy: ram.postcopy,
                            mappedRAM: ram.mappedRAM)
                        index.pageSize = pageSize
                    }
                }
                index.records.append(
                    StreamRecord(offset: start, end: reader.offset, kind: .configuration(config), packaged: packaged))
            case .command:
                reader.section = "command"
                let command = try readCommand(&reader)
                if case .postcopyAdvise = command.payload { ram.postcopy = true }
                if case .packaged(let length) = command.payload { packagedEnd = reader.offset + Int(length) }
                index.records.append(
                    StreamRecord(offset: start, end: reader.offset, kind: .command(command), packaged: packaged))
            case .start, .full, .part, .end:
                var footerError: StreamError?
                let section = try readSection(type, start: start, &reader, footerError: &footerError)
                // A bad footer after a payload that was read: the section stays (ending where its
                // footer should start), the error follows it.
                let end = footerError == nil ? reader.offset : section.body.upperBound
                index.records.append(
                    StreamRecord(offset: start, end: end, kind: .section(section), packaged: packaged))
                if let footerError { throw footerError }
            case .subsection, .vmdescription, .footer:
                reader.section = "record"
                throw .unexpected(
                    reader.location(at: start), expected: "a section, command or EOF",
                    found: "\(Hex.byte(typeByte)) (\(type.label)) out of place")
            }
        }
    }

    // MARK: vmdesc

    private mutating func readVMDesc(_ reader: inout ByteReader) throws(StreamError) {
        guard let next = reader.peekU8() else { return }
        guard next == SectionType.vmdescription.rawValue else {
            index.trailingBytes = reader.offset..<reader.limit
            return
        }
        let start = reader.offset
        reader.section = "vmdesc"
        _ = try reader.u8()
        let length = try reader.be32()
        guard UInt64(length) <= UInt64(reader.remaining) else {
            throw Self.lengthError(at: reader.location(at: start + 1), length: UInt64(length), reader)
        }
        let json = try reader.range(UInt64(length))
        index.records.append(StreamRecord(offset: start, end: reader.offset, kind: .vmdescription(json: json)))
        if !reader.atEnd { index.trailingBytes = reader.offset..<reader.limit }
    }

    /// A length from the stream that runs past its end: the stream was cut short when a file of
    /// this size could hold it, else the length itself is damaged.
    static func lengthError(at location: StreamError.Location, length: UInt64, _ reader: ByteReader) -> StreamError {
        if length <= UInt64(reader.bytes.count) {
            return .truncated(location, needed: Int(length), available: reader.remaining)
        }
        return .impossibleLength(location, length: length, limit: UInt64(reader.remaining))
    }

    // MARK: configuration

    private func readConfiguration(start: Int, _ reader: inout ByteReader) throws(StreamError) -> ConfigurationSection {
        reader.field = "len"
        let length = try reader.be32()
        guard UInt64(length) <= UInt64(reader.remaining) else {
            throw Self.lengthError(at: reader.location(at: reader.offset - 4), length: UInt64(length), reader)
        }
        reader.field = "name"
        let machine = try reader.string(length: Int(length))
        reader.field = ""
        var subsections: [ConfigurationSection.Subsection] = []
        // Subsections follow while the next byte is 05 and the name is "configuration/...".
        while reader.peekU8() == SectionType.subsection.rawValue, let nameLength = reader.peekU8(at: 1),
            Int(nameLength) <= reader.remaining - 2,
            Self.hasPrefix(bytes, at: reader.offset + 2, length: Int(nameLength), prefix: "configuration")
        {
            let subStart = reader.offset
            _ = try reader.u8()
            let name = try reader.countedString()
            reader.field = name
            let version = try reader.be32()
            let value: ConfigurationSection.Value
            switch name {
            case "configuration/target-page-bits":
                value = .targetPageBits(try reader.be32())
            case "configuration/capabilities":
                let count = try reader.be32()
                // Each capability takes at least one byte: a larger count cannot be right.
                guard UInt64(count) <= UInt64(reader.remaining) else {
                    throw .impossibleLength(
                        reader.location(at: reader.offset - 4), length: UInt64(count),
                        limit: UInt64(reader.remaining))
                }
                var caps: [String] = []
                for _ in 0..<count { caps.append(try reader.countedString()) }
                value = .capabilities(caps)
            case "configuration/uuid":
                let range = try reader.range(16)
                value = .uuid(Array(UnsafeRawBufferPointer(rebasing: bytes[range])))
            default:
                throw .unsupported(reader.location(at: subStart), message: "unknown configuration subsection \(name)")
            }
            subsections.append(.init(name: name, version: version, value: value, range: subStart..<reader.offset))
            reader.field = ""
        }
        return ConfigurationSection(machineType: machine, subsections: subsections, range: start..<reader.offset)
    }

    // MARK: commands

    private func readCommand(_ reader: inout ByteReader) throws(StreamError) -> MigrationCommand {
        let rawCode = try reader.be16()
        let length = try reader.be16()
        let code = MigrationCommand.Code(rawValue: rawCode)
        reader.field = code?.name ?? "cmd \(rawCode)"
        guard let code, code != .invalid else {
            // QEMU: "MIG_CMD 0x%x unknown (len 0x%x)".
            throw .unexpected(
                reader.location(at: reader.offset - 4), expected: "a MIG_CMD between 0x0001 and 0x000b",
                found: "0x" + Hex.pad(UInt64(rawCode), 4))
        }
        if let fixed = code.fixedLength, fixed != Int(length) {
            throw .unexpected(
                reader.location(at: reader.offset - 2), expected: "length 0x" + Hex.pad(UInt64(fixed), 4),
                found: "0x" + Hex.pad(UInt64(length), 4))
        }
        let payloadRange = try reader.range(UInt64(length))
        var payloadReader = ByteReader(
            bytes: bytes, file: reader.file, offset: payloadRange.lowerBound, limit: payloadRange.upperBound)
        payloadReader.section = reader.section
        payloadReader.field = reader.field
        let payload: MigrationCommand.Payload
        switch code {
        case .ping:
            payload = .ping(try payloadReader.be32())
        case .packaged:
            let embedded = try payloadReader.be32()
            guard UInt64(embedded) <= UInt64(reader.remaining) else {
                throw .impossibleLength(
                    payloadReader.location(at: payloadRange.lowerBound), length: UInt64(embedded),
                    limit: UInt64(reader.remaining))
            }
            payload = .packaged(length: embedded)
        case .postcopyAdvise where length == 16:
            payload = .postcopyAdvise(
                pageSizeSummary: try payloadReader.be64(), targetPageSize: try payloadReader.be64())
        case .postcopyRAMDiscard:
            let version = try payloadReader.u8()
            let block = try payloadReader.countedString()
            _ = try payloadReader.u8()  // NUL terminator QEMU adds "just for safety"
            var ranges: [MigrationCommand.DiscardRange] = []
            while payloadReader.remaining >= 16 {
                ranges.append(.init(start: try payloadReader.be64(), length: try payloadReader.be64()))
            }
            guard payloadReader.atEnd else {
                throw .unexpected(
                    payloadReader.location(), expected: "whole 16-byte discard ranges",
                    found: "\(payloadReader.remaining) extra byte(s)")
            }
            payload = .postcopyRAMDiscard(version: version, block: block, ranges: ranges)
        case .recvBitmap:
            payload = .recvBitmap(block: try payloadReader.countedString())
        default:
            payload = length == 0 ? .none : .raw
        }
        return MigrationCommand(rawCode: rawCode, length: length, payloadRange: payloadRange, payload: payload)
    }

    // MARK: sections

    private mutating func readSection(
        _ type: SectionType, start: Int, _ reader: inout ByteReader, footerError: inout StreamError?
    ) throws(StreamError) -> SectionRecord {
        reader.section = type.label
        reader.field = "section_id"
        let sectionID = try reader.be32()
        var header: SectionHeader
        if type == .start || type == .full {
            let nameStart = reader.offset
            reader.field = "idstr"
            let idstr = try reader.countedString()
            // QEMU writes the idstr as a C string: a NUL in it means the length byte is damaged
            // (QEMU itself would then find no such section and fail with "Unknown savevm section").
            if let nul = idstr.utf8.firstIndex(of: 0) {
                throw .unexpected(
                    reader.location(at: nameStart),
                    expected: "a section name (a C string, no NUL byte)",
                    found: "length \(Hex.byte(reader.bytes[nameStart])) and a NUL after "
                        + "\"\(String(idstr[..<nul]).escapingControls)\"")
            }
            // A stream cut inside the header is reported against the name already read.
            reader.section = SectionHeader.analyzeKey(idstr: idstr, sectionID: sectionID)
            reader.field = "instance_id"
            let instanceID = try reader.be32()
            reader.field = "version_id"
            let versionID = try reader.be32()
            reader.field = ""
            header = SectionHeader(
                type: type, sectionID: sectionID, idstr: idstr, instanceID: instanceID, versionID: versionID,
                range: start..<reader.offset)
            if type == .start { openSections[sectionID] = header }
        } else {
            guard let opened = openSections[sectionID] else {
                // QEMU: "Unknown savevm section %d".
                throw .unexpected(
                    reader.location(at: start + 1), expected: "the id of a started section",
                    found: "section id 0x" + Hex.pad(UInt64(sectionID), 8))
            }
            header = opened
            header.type = type
            header.range = start..<reader.offset
        }
        reader.field = ""
        reader.section = header.analyzeKey
        let bodyStart = reader.offset
        var record: SectionRecord
        if header.idstr == "ram" && header.instanceID == 0 {
            guard header.versionID == 4 else {
                // savevm turns newer versions away; ram_load takes only 4.
                let qemu =
                    header.versionID > 4 ? header.unsupportedVersion(local: 4) : "ram_load accepts only version 4"
                throw .unsupported(
                    reader.location(at: header.versionRange.lowerBound),
                    message: "unknown RAM version \(header.versionID) (QEMU: \(qemu))")
            }
            var summary = RAMSectionSummary()
            do {
                try readRAM(&reader, into: &summary)
            } catch {
                // A chunk the stream ends inside is kept with the records read before the cut.
                if case .truncated = error {
                    throw unfinished(header, bodyStart: bodyStart, reader, error, ram: summary)
                }
                throw error
            }
            record = SectionRecord(header: header, body: bodyStart..<reader.offset, extent: .parsed, ram: summary)
        } else {
            record = try delimitDevice(header, bodyStart: bodyStart, &reader)
        }
        do {
            try readFooter(&record, &reader)
        } catch {
            footerError = error
        }
        return record
    }

    private mutating func readFooter(_ record: inout SectionRecord, _ reader: inout ByteReader) throws(StreamError) {
        let id = record.header.sectionID
        let next = reader.peekU8()
        if index.sectionFooters == nil {
            // The first section tells whether this machine type sends footers.
            index.sectionFooters = next == SectionType.footer.rawValue
        }
        guard index.sectionFooters == true else { return }
        let footerStart = reader.offset
        if reader.limit - footerStart < 5, reader.atEnd || next == SectionType.footer.rawValue {
            // Cut at or inside the footer: say so, not only how many bytes are missing.
            reader.field = "section footer"
            throw .truncated(reader.location(), needed: 5, available: reader.limit - footerStart)
        }
        let marker = try reader.u8()
        guard marker == SectionType.footer.rawValue else {
            // QEMU: "Missing section footer for %s".
            throw .unexpected(
                reader.location(at: footerStart), expected: "section footer 0x7e", found: Hex.byte(marker))
        }
        let footerID = try reader.be32()
        guard footerID == id else {
            // QEMU: "Mismatched section id in footer for %s -- read 0x%x expected 0x%x".
            throw .unexpected(
                reader.location(at: footerStart + 1), expected: "footer section id 0x" + Hex.pad(UInt64(id), 8),
                found: "0x" + Hex.pad(UInt64(footerID), 8))
        }
        record.footerOffset = footerStart
    }

    // MARK: RAM

    /// Reads one RAM section chunk up to its EOS into `summary` (emptied first), which holds what
    /// was read before an error too.
    private mutating func readRAM(_ reader: inout ByteReader, into summary: inout RAMSectionSummary)
        throws(StreamError)
    {
        summary = RAMSectionSummary()
        summary.startBlock = ram.currentBlock
        // A chunk uses a handful of flag combinations: a short array beats hashing per record.
        var seenFlags: [UInt64] = []
        var counts: [Int] = []
        defer { for i in counts.indices { summary.flagCounts[i].count = counts[i] } }
        // The block that CONTINUE records belong to, once a page record has named it.
        var continuedBlock: Int?
        while true {
            if readsRunsInBulk, let block = continuedBlock {
                let pageSlot = seenFlags.firstIndex(of: Self.continuedPage.rawValue)
                let zeroSlot = seenFlags.firstIndex(of: Self.continuedZero.rawValue)
                let run = readContinuedPages(&reader, block: block, pages: pageSlot != nil, zeros: zeroSlot != nil)
                if let pageSlot { counts[pageSlot] += run.pages }
                if let zeroSlot { counts[zeroSlot] += run.zeros }
                summary.records += run.pages + run.zeros
            }
            if reader.offset >= releaseMark { slideWindow(reader.offset) }
            let record = try ram.next(&reader)
            reachAhead(record.end &+ Self.lookahead)
            summary.records += 1
            let flags = record.flags.rawValue
            if let slot = seenFlags.firstIndex(of: flags) {
                counts[slot] += 1
            } else {
                seenFlags.append(flags)
                counts.append(1)
                summary.flagCounts.append((record.flags.label, 0))
            }
            continuedBlock = nil
            switch record.kind {
            case .memSize(_, let blocks):
                summary.blocks = blocks
                for block in blocks where blockSlots[block.name] == nil {
                    blockSlots[block.name] = index.ramBlocks.count
                    index.ramBlocks.append(RAMBlockSummary(name: block.name, length: block.length))
                }
                for block in blocks {
                    guard let mapped = block.mappedRAM, !mapped.isIgnored, let slot = blockSlots[block.name] else {
                        continue
                    }
                    // The pages are in the file, not in records: the bitmap says which were written.
                    for (page, present) in MappedRAMPages(block: block, mapped: mapped, bytes: bytes) {
                        index.ramBlocks[slot].note(address: page * pageSize, zero: !present, pageSize: pageSize)
                        if present { index.ramBlocks[slot].dataBytes += pageSize }
                    }
                }
            case .zeroPage:
                if let slot = slot(for: record.block) {
                    index.ramBlocks[slot].note(address: record.address, zero: true, pageSize: pageSize)
                    continuedBlock = slot
                }
            case .page:
                if let slot = slot(for: record.block) {
                    index.ramBlocks[slot].note(address: record.address, zero: false, pageSize: pageSize)
                    index.ramBlocks[slot].dataBytes += pageSize
                    continuedBlock = slot
                }
            case .xbzrle:
                if let slot = slot(for: record.block) { index.ramBlocks[slot].xbzrlePages += 1 }
            case .compressedPage:
                if let slot = slot(for: record.block) { index.ramBlocks[slot].compressedPages += 1 }
            case .multifdFlush:
                break
            case .endOfSection:
                return
            }
        }
    }

    private static let continuedPage = RAMFlags([.page, .continue])
    private static let continuedZero = RAMFlags([.zero, .continue])

    /// Reads the records that make up nearly all of a large stream, pages and zero pages that
    /// continue `block`, without building a `RAMRecord` for each: that work cost more than the
    /// kernel's mapping of the page. Stops before the first record of another kind, or one too
    /// short for the file, and leaves it to `RAMParser`. Takes only flag combinations already
    /// counted, so the section's flag counts keep their first-seen order.
    private mutating func readContinuedPages(_ reader: inout ByteReader, block slot: Int, pages: Bool, zeros: Bool)
        -> (pages: Int, zeros: Int)
    {
        guard let base = reader.bytes.baseAddress, pages || zeros else { return (0, 0) }
        let pageSize = ram.pageSize
        let mask = pageSize &- 1
        let pageRecord = 8 + Int(pageSize)
        let zeroRecord = 8 + 1
        var block = index.ramBlocks[slot]
        var run = (pages: 0, zeros: 0)
        var offset = reader.offset
        while reader.limit - offset >= zeroRecord {
            if offset >= releaseMark { slideWindow(offset) }
            let header = UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let flags = header & mask
            if flags == Self.continuedPage.rawValue, pages, reader.limit - offset >= pageRecord {
                block.note(address: header & ~mask, zero: false, pageSize: pageSize)
                block.dataBytes += pageSize
                run.pages += 1
                offset += pageRecord
            } else if flags == Self.continuedZero.rawValue, zeros {
                block.note(address: header & ~mask, zero: true, pageSize: pageSize)
                run.zeros += 1
                offset += zeroRecord
            } else {
                break
            }
            reachAhead(offset &+ Self.lookahead)
        }
        reader.offset = offset
        index.ramBlocks[slot] = block
        return run
    }

    /// Makes the cache line at `offset`, if it is in the file, ready before the scan gets there.
    ///
    /// A prefetch does not wait, but it is dropped on a page that is not mapped yet. So the first
    /// time the scan reaches into a 64 KiB block that is its own to map (see `PageMapper`; all
    /// of them without a mapper), it loads a byte there instead: that faults the page in, with the
    /// kernel's fault-around mapping the rest of the block, while the scan still has `lookahead`
    /// bytes of records to read before it needs them. The load waits for memory, so it is not
    /// spent on blocks the helper maps.
    private mutating func reachAhead(_ offset: Int) {
        guard UInt(bitPattern: offset) < UInt(bytes.count), let base = bytes.baseAddress else { return }
        let address = base + offset
        let block = Int(bitPattern: address) >> 16
        guard block != reachedBlock else {
            vmscope_prefetch(address)
            return
        }
        reachedBlock = block
        if mapper.map({ $0.readerMaps(offset) }) ?? true {
            vmscope_touch(address)
        } else {
            vmscope_prefetch(address)
        }
    }

    private mutating func slot(for name: String) -> Int? {
        if currentBlockSlot >= 0, name == currentBlockName { return currentBlockSlot }
        guard let slot = blockSlots[name] else { return nil }
        currentBlockName = name
        currentBlockSlot = slot
        return slot
    }

    /// Streams at least this large get a page mapper thread.
    static let largeStream = 64 << 20

    /// Reports progress to the page mapper, which maps ahead and releases behind.
    private mutating func slideWindow(_ offset: Int) {
        mapper?.advance(to: offset)
        releaseMark = offset + (256 << 10)
    }

    // MARK: device sections

    private mutating func delimitDevice(_ header: SectionHeader, bodyStart: Int, _ reader: inout ByteReader)
        throws(StreamError) -> SectionRecord
    {
        var walkedEnd: Int?
        // A walk that ran out of stream: the cut, in the field it fell in.
        var walkCut: StreamError?
        if let vmdesc, let desc = vmdesc.device(for: header),
            header.type == .full || header.type == .start
        {
            // Trust the walk only if it ends where a footer (when the stream has them) begins.
            var walker = reader
            // Before the first footer is seen, the walk must at least end where a record can
            // start: 7.2's vmdesc hides NULL entries of pointer arrays, so a walk can overshoot.
            do {
                _ = try DeviceDecoder().decodeSection(desc, name: header.idstr, reader: &walker)
                if hasFooter(header.sectionID, at: walker.offset) || index.sectionFooters == false
                    || (index.sectionFooters == nil && isPlausibleRecord(at: walker.offset, afterFooter: false))
                {
                    reader.offset = walker.offset
                    return SectionRecord(header: header, body: bodyStart..<reader.offset, extent: .vmdesc)
                }
                walkedEnd = walker.offset
            } catch {
                switch error {
                case .truncated, .impossibleLength: walkCut = error
                default: break
                }
            }
        }
        if index.sectionFooters != false {
            if let footer = findFooter(header.sectionID, from: bodyStart) {
                // The description ends on a footer of another id that a record follows, before
                // this section's footer: the id in this header (or in that footer) is damaged.
                // Ending the payload there lets the footer check report it, as QEMU's would; the
                // later footer would swallow the sections in between.
                if let walkedEnd, walkedEnd < footer, walkedEnd + 5 <= bytes.count,
                    bytes[walkedEnd] == SectionType.footer.rawValue,
                    ByteReader.loadBE32(bytes, walkedEnd + 1) != header.sectionID,
                    isPlausibleRecord(at: walkedEnd + 5, afterFooter: true)
                {
                    reader.offset = walkedEnd
                    return SectionRecord(header: header, body: bodyStart..<walkedEnd, extent: .vmdesc)
                }
                reader.offset = footer
                return SectionRecord(header: header, body: bodyStart..<footer, extent: .inferredFromFooter)
            }
            if index.sectionFooters == true {
                let footer = "7e " + Hex.pad(UInt64(header.sectionID), 8)
                // A footer whose next record is damaged: take it, so the error lands on that
                // record. Not past where a vmdesc walk ended: 7.2's can overshoot, never stop short.
                if !tookBareFooter,
                    let bare = findFooter(header.sectionID, from: bodyStart, requirePlausibleNext: false),
                    bare <= walkedEnd ?? Int.max
                {
                    tookBareFooter = true
                    reader.offset = bare
                    return SectionRecord(header: header, body: bodyStart..<bare, extent: .inferredFromFooter)
                }
                if let walkedEnd {
                    // The vmdesc says where the payload ends: the section is that, and the footer
                    // check that follows reports what is there instead.
                    reader.offset = walkedEnd
                    return SectionRecord(header: header, body: bodyStart..<walkedEnd, extent: .vmdesc)
                }
                if let walkCut { throw unfinished(header, bodyStart: bodyStart, reader, walkCut) }
                // Most often the stream was cut short: say where it ends as well as where the
                // payload without its footer starts.
                throw unfinished(
                    header, bodyStart: bodyStart, reader,
                    .unexpected(
                        reader.location(at: bodyStart),
                        expected: "a footer \(footer) after the payload that starts here",
                        found: "none before the end of the stream at 0x\(String(reader.limit, radix: 16))"
                            + (vmdesc == nil
                                ? " (the stream may be cut short: --vmdesc FILE lends the vmdesc of a whole stream)"
                                : "")))
            }
        }
        // Without footers, a payload byte 0x00 at the very end of a cut file reads as EOF; a
        // description that runs out of file says the stream was cut there instead.
        if let next = findHeader(from: bodyStart), walkCut == nil || next + 1 < bytes.count {
            reader.offset = next
            return SectionRecord(header: header, body: bodyStart..<next, extent: .inferredFromHeader)
        }
        if let walkCut { throw unfinished(header, bodyStart: bodyStart, reader, walkCut) }
        throw .unsupported(
            reader.location(at: bodyStart),
            message: "cannot find the end of the payload (no vmdesc entry, no footer, no following section)")
    }

    /// Keeps the section the stream ends inside (with the RAM records read before the cut, for
    /// RAM), for a loader to step up to the cut, and returns the error that ends the scan.
    private mutating func unfinished(
        _ header: SectionHeader, bodyStart: Int, _ reader: ByteReader, _ error: StreamError,
        ram: RAMSectionSummary? = nil
    ) -> StreamError {
        index.unfinished = StreamRecord(
            offset: header.range.lowerBound, end: reader.limit,
            kind: .section(SectionRecord(header: header, body: bodyStart..<reader.limit, extent: .cut, ram: ram)),
            packaged: header.range.lowerBound < packagedEnd)
        return error
    }

    private func hasFooter(_ id: UInt32, at offset: Int) -> Bool {
        offset + 5 <= bytes.count && bytes[offset] == SectionType.footer.rawValue
            && ByteReader.loadBE32(bytes, offset + 1) == id
    }

    private func findFooter(_ id: UInt32, from start: Int, requirePlausibleNext: Bool = true) -> Int? {
        let count = bytes.count
        var at = start
        while at + 5 <= count {
            if bytes[at] == SectionType.footer.rawValue, ByteReader.loadBE32(bytes, at + 1) == id,
                !requirePlausibleNext || isPlausibleRecord(at: at + 5, afterFooter: true)
            {
                return at
            }
            at += 1
        }
        return nil
    }

    private func findHeader(from start: Int) -> Int? {
        var at = start
        while at < bytes.count {
            if isPlausibleRecord(at: at, afterFooter: false) { return at }
            at += 1
        }
        return nil
    }

    /// Whether a record plausibly starts at `at`: a section header with a short printable idstr
    /// and small numbers, a known command, PART/END of an open section, or EOF + vmdesc.
    private func isPlausibleRecord(at: Int, afterFooter: Bool) -> Bool {
        let count = bytes.count
        guard at < count else { return afterFooter && at == count }
        switch bytes[at] {
        case SectionType.eof.rawValue:
            if at + 1 == count { return true }
            guard bytes[at + 1] == SectionType.vmdescription.rawValue, at + 7 <= count else { return false }
            let length = Int(ByteReader.loadBE32(bytes, at + 2))
            return length <= count - (at + 6) && bytes[at + 6] == UInt8(ascii: "{")
        case SectionType.start.rawValue, SectionType.full.rawValue:
            guard at + 6 <= count else { return false }
            let id = ByteReader.loadBE32(bytes, at + 1)
            let length = Int(bytes[at + 5])
            guard id < 1 << 20, length > 0, at + 6 + length + 8 <= count else { return false }
            for i in 0..<length where !(0x21...0x7e).contains(bytes[at + 6 + i]) { return false }
            let instance = ByteReader.loadBE32(bytes, at + 6 + length)
            let version = ByteReader.loadBE32(bytes, at + 10 + length)
            // Versions are C ints and some are dates (eeprom93xx: 20061113); a negative one is
            // no real header.
            return instance <= UInt32(Int32.max) && version <= UInt32(Int32.max)
        case SectionType.part.rawValue, SectionType.end.rawValue:
            guard at + 5 <= count else { return false }
            return openSections[ByteReader.loadBE32(bytes, at + 1)] != nil
        case SectionType.command.rawValue:
            guard at + 5 <= count else { return false }
            let code = UInt16(bytes[at + 1]) << 8 | UInt16(bytes[at + 2])
            let length = Int(UInt16(bytes[at + 3]) << 8 | UInt16(bytes[at + 4]))
            guard let known = MigrationCommand.Code(rawValue: code), known != .invalid else { return false }
            return (known.fixedLength ?? length) == length && at + 5 + length <= count
        default:
            return false
        }
    }

    private static func hasPrefix(_ bytes: UnsafeRawBufferPointer, at: Int, length: Int, prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard length >= n, at + n <= bytes.count else { return false }
        for i in 0..<n where bytes[at + i] != prefix.utf8Start[i] { return false }
        return true
    }
}
