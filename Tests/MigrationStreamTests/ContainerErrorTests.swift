import Testing

@testable import MigrationStream

/// Every container-level failure: the message, the offset, and what was indexed before it.
@Suite("container errors")
struct ContainerErrorTests {
    func error(of builder: StreamBuilder) throws -> StreamError {
        let stream = try builder.open()
        return try #require(stream.index.error)
    }

    @Test("minimal stream scans cleanly")
    func minimalIsClean() throws {
        let stream = try StreamBuilder.minimal().open()
        #expect(stream.index.error == nil)
        #expect(stream.vmdescError == nil)
        #expect(stream.index.sections.map(\.header.idstr) == ["ram", "ram", "dev"])
        #expect(stream.index.sections.last?.extent == .vmdesc)
        #expect(stream.index.ramBlocks.first?.dataPages == 1)
        #expect(stream.index.ramBlocks.first?.zeroPages == 1)
    }

    @Test("a section name with a NUL byte: the length byte is damaged")
    func nameWithNUL() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.u8(0x04)  // FULL
        b.be32(3)
        let lengthByte = b.bytes.count
        b.u8(8)  // "dev" is 3 bytes: the name runs into the instance id
        b.raw(Array("dev".utf8))
        b.be32(0)
        b.be32(1)
        b.be32(1)
        b.footer(3)
        let error = try error(of: b)
        #expect(error.location?.offset == lengthByte)
        #expect("\(error)".contains("expected a section name (a C string, no NUL byte)"))
        #expect("\(error)".contains("found length 0x08 and a NUL after \"dev\""))
    }

    @Test("a stream cut inside a section header names the section and the header field")
    func cutInsideSectionHeader() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.bytes.removeLast(2)
        let error = try error(of: b)
        #expect(error.location?.offset == b.bytes.count - 2)
        #expect(error.location?.section == "dev (3)")
        #expect(error.location?.field == "version_id")
        #expect("\(error)".contains("unexpected end of stream: expected 4 more byte(s), found 2"))

        // Cut inside the section id, before any name: the section type and the field.
        var id = StreamBuilder()
        id.header()
        id.configuration()
        id.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        let idStart = id.bytes.count - (1 + 4 + 1 + 3 + 4 + 4) + 1
        id.bytes = Array(id.bytes.prefix(idStart + 2))
        let idError = try self.error(of: id)
        #expect(idError.location?.offset == idStart)
        #expect(idError.location?.section == "SECTION_FULL" && idError.location?.field == "section_id")
    }

    @Test("a MEM_SIZE total larger than its blocks runs into the next record, and says so")
    func memSizeTotalTooLarge() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        let record = b.bytes.count
        b.be64(0x8000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x4000)
        let eos = b.bytes.count
        b.be64(0x10)
        b.footer(2)
        let error = try error(of: b)
        #expect(error.location?.offset == eos)
        #expect(
            "\(error)".contains(
                "expected the name of RAMBlock entry 2 of the MEM_SIZE record at 0x\(String(record, radix: 16)) "
                    + "(total 0x8000, 0x4000 not yet described), found an empty name (QEMU: Unknown ramblock \"\")"))
    }

    @Test("bad magic")
    func badMagic() throws {
        var b = StreamBuilder()
        b.header(magic: 0x1234_5678)
        let error = try error(of: b)
        #expect(error.location?.offset == 0)
        #expect("\(error)".contains("expected the QEVM magic 0x5145564d"))
        #expect("\(error)".contains("found 0x12345678"))
    }

    @Test("version 2 is obsolete")
    func versionTwo() throws {
        var b = StreamBuilder()
        b.header(version: 2)
        let error = try error(of: b)
        #expect(error.location?.offset == 4)
        #expect("\(error)".contains("SaveVM v2 format is obsolete and don't work anymore"))
    }

    @Test("other versions are unsupported")
    func versionFour() throws {
        var b = StreamBuilder()
        b.header(version: 4)
        #expect("\(try error(of: b))".contains("expected stream version 0x00000003"))
    }

    @Test("truncated inside the file header")
    func truncatedHeader() throws {
        var b = StreamBuilder()
        b.be32(0x5145_564d)
        b.be16(0)
        let error = try error(of: b)
        #expect(
            error
                == .truncated(
                    .init(file: error.location!.file, offset: 4, section: "file header"),
                    needed: 4, available: 2))
    }

    @Test("truncated inside the configuration machine name")
    func truncatedConfiguration() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x07)
        b.be32(13)
        b.raw(Array("pc-i4".utf8))
        let error = try error(of: b)
        // The length is checked against the file first: one a file this size could hold means
        // the stream was cut short.
        #expect(error.location?.offset == 9)
        #expect("\(error)".contains("unexpected end of stream: expected 13 more byte(s), found 5"))
        #expect(error.location?.section == "configuration")
    }

    @Test("every truncation point of the minimal stream is reported at the end of the data")
    func truncationEverywhere() throws {
        let full = StreamBuilder.minimal()
        let stream = try full.open()
        let vmdescStart = try #require(stream.index.vmdescRange).lowerBound - 5
        // Cut inside every record kind up to EOF: header, configuration, RAM START, RAM PART
        // (inside a page, the zero page and EOS), the device section and its footer.
        for cut in stride(from: 1, to: vmdescStart, by: 7) {
            var b = full
            b.bytes = Array(full.bytes.prefix(cut))
            let truncated = try b.open()
            let error = try #require(truncated.index.error, "cut at \(cut)")
            let offset = try #require(error.location?.offset)
            #expect(offset <= cut, "cut at \(cut): error at \(offset)")
            // Everything before the damage is still indexed.
            #expect(truncated.index.records.allSatisfy { $0.end <= cut })
        }
    }

    @Test("truncated inside a RAM page")
    func truncatedPage() throws {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.u8(0x02)
        b.be32(2)
        let recordStart = b.count
        b.be64(0x08)
        b.counted("pc.ram")
        let pageStart = b.count
        b.raw([UInt8](repeating: 1, count: 100))
        let error = try error(of: b)
        #expect(
            error
                == .truncated(
                    .init(
                        file: error.location!.file, offset: pageStart, section: "ram (2)",
                        field: "PAGE record at 0x\(String(recordStart, radix: 16)), page 0x0 of pc.ram"),
                    needed: 4096, available: 100))
        #expect("\(error)".contains("offset 0x\(String(pageStart, radix: 16)), section ram (2)"))
    }

    @Test("bad footer id")
    func badFooter() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x4000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x4000)
        b.be64(0x10)
        let footerAt = b.count
        b.footer(9)
        b.u8(0)
        // The first section decides that footers are on, then its id must match.
        let error = try error(of: b)
        #expect(error.location?.offset == footerAt + 1)
        #expect("\(error)".contains("expected footer section id 0x00000002, found 0x00000009"))
    }

    /// A RAM START section with its footer, then an END section up to its EOS, before its footer.
    static func endBeforeFooter() -> StreamBuilder {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.u8(0x03)
        b.be32(2)
        b.be64(0x10)
        return b
    }

    @Test("missing footer after a section once footers are on")
    func missingFooter() throws {
        var b = Self.endBeforeFooter()
        let at = b.count
        b.u8(0x00)
        let error = try error(of: b)
        #expect(error.location?.offset == at)
        #expect("\(error)".contains("expected section footer 0x7e, found 0x00"))
    }

    @Test("a stream cut at or inside a section footer names the footer")
    func cutFooter() throws {
        for (kept, found) in [(0, 0), (3, 3)] {
            var b = Self.endBeforeFooter()
            let at = b.count
            b.raw(Array([0x7e, 0x00, 0x00, 0x00, 0x02].prefix(kept)))
            let error = try error(of: b)
            #expect(error.location?.offset == at)
            #expect(error.location?.field == "section footer")
            #expect("\(error)".hasSuffix("unexpected end of stream: expected 5 more byte(s), found \(found)"))
        }
    }

    @Test("a section whose version is a date (eeprom93xx: 20061113) ends the payload before it")
    func dateVersionedSection() throws {
        // pcnet then the i82559er's eeprom, as `-device pcnet -device i82559er` streams have them.
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.sectionHeader(0x04, id: 42, name: "0000:00:05.0/pcnet", version: 3)
        b.raw([UInt8](repeating: 0x5a, count: 40))
        b.footer(42)
        let eeprom = b.count
        b.sectionHeader(0x04, id: 43, name: "0000:00:06.0/eeprom", version: 20_061_113)
        b.raw([1, 2, 3, 4])
        b.footer(43)
        b.u8(0x00)
        let stream = try b.open()
        #expect(stream.index.error == nil, "\(String(describing: stream.index.error))")
        let sections = stream.index.sections
        #expect(sections.map(\.header.idstr) == ["0000:00:05.0/pcnet", "0000:00:06.0/eeprom"])
        #expect(sections.first?.body.count == 40)
        #expect(sections.last?.header.range.lowerBound == eeprom)
        #expect(sections.last?.header.versionID == 20_061_113)
    }

    @Test("unknown section type")
    func unknownType() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x09)
        let error = try error(of: b)
        #expect(error.location?.offset == 8)
        #expect("\(error)".contains("expected a section type (00-08 or 7e), found 0x09"))
    }

    @Test("PART of a section that was never started")
    func partWithoutStart() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x02)
        b.be32(7)
        #expect("\(try error(of: b))".contains("found section id 0x00000007"))
    }

    @Test("unknown RAM flag combination")
    func unknownRAMFlags() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x0a)  // ZERO|PAGE
        let error = try error(of: b)
        #expect(error.location?.offset == 8 + 1 + 4 + 4 + 4 + 4)
        #expect("\(error)".contains("found flags 0xa (ZERO|PAGE)"))
    }

    @Test("RAM HOOK is refused")
    func ramHook() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x80)
        #expect("\(try error(of: b))".contains("RAM_SAVE_FLAG_HOOK"))
    }

    @Test("RAM version other than 4")
    func ramVersion() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 3)
        let error = try error(of: b)
        // At the header's version field.
        #expect(error.location?.offset == b.bytes.count - 4)
        #expect("\(error)".contains("unknown RAM version 3 (QEMU: ram_load accepts only version 4)"))
    }

    @Test("CONTINUE before any named block")
    func continueFirst() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x22)
        b.u8(0)
        #expect("\(try error(of: b))".contains("a block name before the first CONTINUE page"))
    }

    @Test("block longer than the announced total RAM")
    func impossibleBlockLength() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x1000 | 0x04)
        b.counted("pc.ram")
        let at = b.count
        b.be64(0xffff_ffff_0000_0000)
        let error = try error(of: b)
        #expect(error.location?.offset == at)
        #expect(error.location?.section == "ram (2)")
        #expect("\(error)".contains("expected a length of at most 0x1000 for RAMBlock entry 1 of the MEM_SIZE record"))
        #expect("\(error)".contains("found 0xffffffff00000000 for \"pc.ram\""))
    }

    @Test("a 4 GiB configuration length is checked, not allocated")
    func hugeConfigurationLength() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x07)
        b.be32(0xffff_ffff)
        let error = try error(of: b)
        #expect("\(error)".contains("impossible length 0xffffffff (at most 0x0 bytes remain)"))
    }

    @Test("a PACKAGED command longer than the stream")
    func hugePackaged() throws {
        var b = StreamBuilder()
        b.header()
        b.command(7, payload: [0xff, 0xff, 0xff, 0xf0])
        let error = try error(of: b)
        #expect(error.location?.offset == 13)
        #expect("\(error)".contains("impossible length 0xfffffff0"))
    }

    @Test("command with a wrong fixed length")
    func commandLength() throws {
        var b = StreamBuilder()
        b.header()
        b.command(2, payload: [0, 0])
        #expect("\(try error(of: b))".contains("expected length 0x0004, found 0x0002"))
    }

    @Test("unknown command")
    func unknownCommand() throws {
        var b = StreamBuilder()
        b.header()
        b.command(0x40)
        #expect("\(try error(of: b))".contains("expected a MIG_CMD between 0x0001 and 0x000b, found 0x0040"))
    }

    @Test("truncated command payload")
    func truncatedCommand() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x08)
        b.be16(2)
        b.be16(4)
        b.be16(0)
        let error = try error(of: b)
        #expect(
            error
                == .truncated(
                    .init(file: error.location!.file, offset: 13, section: "command", field: "PING"),
                    needed: 4, available: 2))
    }

    @Test("vmdesc length beyond the end of the file")
    func vmdescLength() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0x00)
        b.u8(0x06)
        b.be32(0xffff_ffff)
        b.raw(Array("{}".utf8))
        let error = try error(of: b)
        #expect(error.location?.offset == 10)
        #expect("\(error)".contains("impossible length 0xffffffff (at most 0x2 bytes remain)"))
    }

    @Test("stream that ends without EOF")
    func noEOF() throws {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        let error = try error(of: b)
        #expect(error.location?.offset == b.count)
        #expect("\(error)".contains("unexpected end of stream"))
    }

    @Test("commands are decoded with their payloads")
    func commands() throws {
        var b = StreamBuilder()
        b.header()
        b.command(1)
        b.command(2, payload: [0, 0, 0, 1])
        var advise = StreamBuilder()
        advise.be64(0x1000)
        advise.be64(0x1000)
        b.command(3, payload: advise.bytes)
        var discard = StreamBuilder()
        discard.u8(0)
        discard.counted("pc.ram")
        discard.u8(0)
        discard.be64(0x2000)
        discard.be64(0x1000)
        b.command(6, payload: discard.bytes)
        b.command(10, payload: [2] + Array("ab".utf8))
        b.command(11)
        b.u8(0)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        let payloads = stream.index.commands.map(\.command.payload)
        #expect(
            payloads == [
                .none, .ping(1), .postcopyAdvise(pageSizeSummary: 0x1000, targetPageSize: 0x1000),
                .postcopyRAMDiscard(version: 0, block: "pc.ram", ranges: [.init(start: 0x2000, length: 0x1000)]),
                .recvBitmap(block: "ab"), .none,
            ])
        #expect(
            stream.index.commands.map(\.command.name) == [
                "OPEN_RETURN_PATH", "PING", "POSTCOPY_ADVISE", "POSTCOPY_RAM_DISCARD", "RECV_BITMAP",
                "SWITCHOVER_START",
            ])
    }

    @Test("RAM records of every kind, with x-ignore-shared block addresses")
    func ramKinds() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration(machine: "pc", capabilities: ["x-ignore-shared"])
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x2000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x2000)
        b.be64(0xfee0_0000)  // MemoryRegion address
        b.be64(0x200)  // MULTIFD_FLUSH
        b.be64(0x0000 | 0x40)  // XBZRLE
        b.counted("pc.ram")
        b.u8(0x01)
        b.be16(3)
        b.raw([1, 2, 3])
        b.be64(0x1000 | 0x100 | 0x20)  // COMPRESS_PAGE, CONTINUE
        b.be32(2)
        b.raw([9, 9])
        b.be64(0x10)
        b.u8(0)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        let section = try #require(stream.index.sections.first)
        let records = try stream.ramRecords(in: section)
        #expect(records.map(\.flags.label) == ["MEM_SIZE", "MULTIFD_FLUSH", "XBZRLE", "CONTINUE|COMPRESS_PAGE", "EOS"])
        guard case .memSize(_, let blocks) = records[0].kind else {
            Issue.record("no MEM_SIZE")
            return
        }
        #expect(blocks.first?.memoryRegionAddress == 0xfee0_0000)
        #expect(records[2].kind == .xbzrle(encoding: 1, data: records[2].end - 3..<records[2].end))
        #expect(records[3].block == "pc.ram")
        #expect(stream.index.ramBlocks.first?.xbzrlePages == 1)
        #expect(stream.index.ramBlocks.first?.compressedPages == 1)
    }
}

@Suite("postcopy package")
struct PackagedTests {
    @Test("records carried by a PACKAGED command are indexed and marked")
    func packaged() throws {
        var inner = StreamBuilder()
        inner.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        inner.be32(0x1234_5678)
        inner.be16(1)
        inner.footer(3)
        inner.command(5)  // POSTCOPY_RUN
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.command(7, payload: [0, 0, 0, UInt8(inner.count)])
        b.raw(inner.bytes)
        b.u8(0x03)  // RAM END after the package
        b.be32(2)
        b.be64(0x10)
        b.footer(2)
        b.u8(0)
        b.vmdesc(StreamBuilder.minimalDesc)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        let kinds = stream.index.records.map { ($0.packaged, $0.offset) }
        let packaged = stream.index.records.filter(\.packaged)
        #expect(packaged.count == 2)
        #expect(packaged.first?.section?.header.idstr == "dev")
        #expect(packaged.first?.section?.extent == .vmdesc)
        #expect(kinds.count == 8)
        let tree = try stream.decode(try #require(packaged.first?.section))
        #expect(tree.children.map(\.name) == ["a", "b"])
    }
}
